import { requireAdmin } from "@/lib/admin/auth";
import { createTenantInput, parseAdminBody } from "@/lib/admin/inputs";
import { apiHandler } from "@/lib/http/handler";
import { createTenant, toTenantView } from "@/lib/tenants/tenants";

export const dynamic = "force-dynamic";

export const POST = apiHandler(async (request, { runtime }) => {
  requireAdmin(request);
  const input = await parseAdminBody(request, createTenantInput);
  const tenant = await createTenant(runtime.database.db, runtime.config, input);
  return Response.json(toTenantView(runtime.config, tenant), { status: 201 });
});
