import { requireAdmin } from "@/lib/admin/auth";
import { rotateSigningSecret } from "@/lib/alerts/settings";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";
import { getTenant } from "@/lib/tenants/tenants";

export const dynamic = "force-dynamic";

/** Rotates the tenant's webhook signing secret; the new one is in this answer only. */
export const POST = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  await getTenant(runtime.database.db, id);
  return Response.json(await rotateSigningSecret(runtime.database.db, id));
});

const otherMethod = methodNotAllowed("POST");

export { otherMethod as GET, otherMethod as PUT, otherMethod as PATCH, otherMethod as DELETE };
