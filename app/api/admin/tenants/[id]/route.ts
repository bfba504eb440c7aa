import { requireAdmin } from "@/lib/admin/auth";
import { parseAdminBody, updateTenantInput } from "@/lib/admin/inputs";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";
import { getTenant, toTenantView, updateTenant } from "@/lib/tenants/tenants";

export const dynamic = "force-dynamic";

export const GET = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  return Response.json(toTenantView(runtime.config, await getTenant(runtime.database.db, id)));
});

export const PATCH = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  const patch = await parseAdminBody(request, updateTenantInput);
  const tenant = await updateTenant(runtime.database.db, runtime.config, id, patch);
  // Cached keys carry the tenant's tier and cap: drop them so this instance applies the change now.
  await runtime.keys.tenantChanged(id);
  return Response.json(toTenantView(runtime.config, tenant));
});

const otherMethod = methodNotAllowed("GET", "PATCH");

export { otherMethod as POST, otherMethod as PUT, otherMethod as DELETE };
