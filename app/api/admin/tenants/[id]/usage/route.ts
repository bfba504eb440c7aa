import { requireAdmin } from "@/lib/admin/auth";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";
import { usageSummary } from "@/lib/usage/summary";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  await runtime.usage.flush();
  return Response.json(await usageSummary(runtime.database.db, runtime.config, id));
});

const otherMethod = methodNotAllowed("GET");

export { otherMethod as POST, otherMethod as PUT, otherMethod as PATCH, otherMethod as DELETE };
