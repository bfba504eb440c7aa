import { removeWebhook } from "@/lib/alerts/settings";
import { tenantRoute } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

type Params = { tenantId: string; webhookId: string };

export const DELETE = tenantRoute<Params>("owner", async (_request, { runtime }, params) => {
  await removeWebhook(runtime.database.db, params.tenantId, params.webhookId);
  return new Response(null, { status: 204 });
});
