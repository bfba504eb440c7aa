import { rotateSigningSecret } from "@/lib/alerts/settings";
import { tenantRoute } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

/** Rotates the signing secret; the answer is the only place the new secret is shown. */
export const POST = tenantRoute("owner", async (_request, { runtime }, { tenantId }) => {
  return Response.json(await rotateSigningSecret(runtime.database.db, tenantId), {
    headers: { "cache-control": "no-store" },
  });
});
