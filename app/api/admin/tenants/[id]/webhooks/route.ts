import { requireAdmin } from "@/lib/admin/auth";
import { parseAdminBody } from "@/lib/admin/inputs";
import { addWebhook, alertSettingsView, webhookInput } from "@/lib/alerts/settings";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";
import { getTenant } from "@/lib/tenants/tenants";

export const dynamic = "force-dynamic";

/** The tenant's alert webhooks, thresholds and latest deliveries. */
export const GET = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  await getTenant(runtime.database.db, id);
  return Response.json(await alertSettingsView(runtime.database.db, id));
});

/** Adds a webhook; the first one's answer carries the signing secret, the only time it is shown. */
export const POST = apiHandler<{ id: string }>(async (request, { runtime }, { id }) => {
  requireAdmin(request);
  await getTenant(runtime.database.db, id);
  const { url } = await parseAdminBody(request, webhookInput);
  return Response.json(await addWebhook(runtime.database.db, id, url), { status: 201 });
});

const otherMethod = methodNotAllowed("GET", "POST");

export { otherMethod as PUT, otherMethod as PATCH, otherMethod as DELETE };
