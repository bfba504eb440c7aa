import { requireAdmin } from "@/lib/admin/auth";
import { parseAdminBody, updateKeyInput } from "@/lib/admin/inputs";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";
import { revokeKey } from "@/lib/keys/revoke";
import { type KeyPatch, toKeyView, updateKey } from "@/lib/keys/update";
import { usdToNano } from "@/lib/pricing/units";

export const dynamic = "force-dynamic";

export const DELETE = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  await revokeKey(runtime.database.db, runtime.keys, id);
  return new Response(null, { status: 204 });
});

export const PATCH = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  const { monthlyBudgetUsd, ...limits } = await parseAdminBody(request, updateKeyInput);
  const patch: KeyPatch = { ...limits };
  if (monthlyBudgetUsd !== undefined) {
    patch.monthlyBudgetNanoUsd = monthlyBudgetUsd === null ? null : usdToNano(monthlyBudgetUsd);
  }
  const row = await updateKey(runtime.database.db, runtime.keys, null, id, patch);
  return Response.json(toKeyView(row));
});

const otherMethod = methodNotAllowed("PATCH", "DELETE");

export { otherMethod as GET, otherMethod as POST, otherMethod as PUT };
