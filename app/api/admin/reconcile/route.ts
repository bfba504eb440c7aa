import { requireAdmin } from "@/lib/admin/auth";
import { reconcile } from "@/lib/budgets/reconcile";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";

export const dynamic = "force-dynamic";

/** Ledger against budget counters, per tenant (`?tenantId=` for one); `npm run reconcile` calls it. */
export const GET = apiHandler(async (request, { runtime }) => {
  requireAdmin(request);
  const tenantId = new URL(request.url).searchParams.get("tenantId") ?? undefined;
  const rows = await reconcile(runtime, tenantId);
  const differing = rows.filter((r) => r.differenceNanoUsd !== null && r.differenceNanoUsd !== 0);
  return Response.json({ tenants: rows, differing: differing.length });
});

const otherMethod = methodNotAllowed("GET");

export { otherMethod as POST, otherMethod as PUT, otherMethod as PATCH, otherMethod as DELETE };
