import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";
import { usageSummary } from "@/lib/usage/summary";

export const dynamic = "force-dynamic";

export const GET = apiHandler(async (request, { runtime }) => {
  const principal = await runtime.keys.verify(request.headers.get("authorization"));
  // Read-your-writes: calls this process has answered but not yet written are flushed first.
  await runtime.usage.flush();
  return Response.json(await usageSummary(runtime.database.db, runtime.config, principal.tenantId));
});

const otherMethod = methodNotAllowed("GET");

export { otherMethod as POST, otherMethod as PUT, otherMethod as PATCH, otherMethod as DELETE };
