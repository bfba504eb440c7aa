import { apiHandler } from "@/lib/http/handler";
import { usageSummary } from "@/lib/usage/summary";

export const dynamic = "force-dynamic";

export const GET = apiHandler(async (request, { runtime }) => {
  const principal = await runtime.keys.verify(request.headers.get("authorization"));
  // Read-your-writes: calls this process has answered but not yet written are flushed first.
  await runtime.usage.flush();
  return Response.json(await usageSummary(runtime.database.db, runtime.config, principal.tenantId));
});
