import { requireAdmin } from "@/lib/admin/auth";
import { createTenantInput, parseAdminBody } from "@/lib/admin/inputs";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";
import { createTenant, toTenantView } from "@/lib/tenants/tenants";

export const dynamic = "force-dynamic";

export const POST = apiHandler(async (request, { runtime }) => {
  requireAdmin(request);
  const input = await parseAdminBody(request, createTenantInput);
  const tenant = await createTenant(runtime.database.db, runtime.config, input);
  return Response.json(toTenantView(runtime.config, tenant), { status: 201 });
});

const otherMethod = methodNotAllowed("POST");

export { otherMethod as GET, otherMethod as PUT, otherMethod as PATCH, otherMethod as DELETE };
