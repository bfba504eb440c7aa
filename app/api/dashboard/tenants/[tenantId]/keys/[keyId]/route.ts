import { parseAdminBody } from "@/lib/admin/inputs";
import { tenantRoute } from "@/lib/auth/route";
import { revokeTenantKey, updateKeyInput, updateTenantKey } from "@/lib/dashboard/keys";

export const dynamic = "force-dynamic";

type Params = { tenantId: string; keyId: string };

export const PATCH = tenantRoute<Params>(undefined, async (request, { runtime }, params) => {
  const input = await parseAdminBody(request, updateKeyInput);
  const { db } = runtime.database;
  return Response.json(
    await updateTenantKey(db, runtime.keys, params.tenantId, params.keyId, input),
  );
});

export const DELETE = tenantRoute<Params>(undefined, async (_request, { runtime }, params) => {
  await revokeTenantKey(runtime.database.db, runtime.keys, params.tenantId, params.keyId);
  return new Response(null, { status: 204 });
});
