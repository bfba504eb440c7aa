import { parseAdminBody } from "@/lib/admin/inputs";
import { tenantRoute } from "@/lib/auth/route";
import { createKeyInput, createTenantKey } from "@/lib/dashboard/keys";

export const dynamic = "force-dynamic";

export const POST = tenantRoute(undefined, async (request, { runtime }, { tenantId }) => {
  const input = await parseAdminBody(request, createKeyInput);
  const key = await createTenantKey(runtime.database.db, runtime.keys, tenantId, input);
  return Response.json(key, { status: 201, headers: { "cache-control": "no-store" } });
});
