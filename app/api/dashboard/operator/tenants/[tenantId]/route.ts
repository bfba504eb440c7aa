import { parseAdminBody, updateTenantInput } from "@/lib/admin/inputs";
import { operatorRoute } from "@/lib/auth/route";
import { toTenantView, updateTenant } from "@/lib/tenants/tenants";

export const dynamic = "force-dynamic";

/** An operator changes any tenant's tier or cap; recorded as an admin change. */
export const PATCH = operatorRoute<{ tenantId: string }>(
  async (request, { runtime }, { tenantId }) => {
    const patch = await parseAdminBody(request, updateTenantInput);
    const tenant = await updateTenant(
      runtime.database.db,
      runtime.config,
      tenantId,
      patch,
      "admin",
    );
    await runtime.keys.tenantChanged(tenantId);
    return Response.json(toTenantView(runtime.config, tenant));
  },
);
