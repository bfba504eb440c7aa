import { requireAdmin } from "@/lib/admin/auth";
import { apiHandler } from "@/lib/http/handler";
import { revokeKey } from "@/lib/keys/revoke";

export const dynamic = "force-dynamic";

export const DELETE = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  await revokeKey(runtime.database.db, runtime.keys, id);
  return new Response(null, { status: 204 });
});
