import { parseAdminBody } from "@/lib/admin/inputs";
import { addWebhook, webhookInput } from "@/lib/alerts/settings";
import { tenantRoute } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

export const POST = tenantRoute("owner", async (request, { runtime }, { tenantId }) => {
  const { url } = await parseAdminBody(request, webhookInput);
  const created = await addWebhook(runtime.database.db, tenantId, url);
  return Response.json(created, { status: 201, headers: { "cache-control": "no-store" } });
});
