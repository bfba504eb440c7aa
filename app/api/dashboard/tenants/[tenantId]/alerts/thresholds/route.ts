import { parseAdminBody } from "@/lib/admin/inputs";
import { setThresholds, thresholdsInput } from "@/lib/alerts/settings";
import { tenantRoute } from "@/lib/auth/route";

export const dynamic = "force-dynamic";

export const PUT = tenantRoute("owner", async (request, { runtime }, { tenantId }) => {
  const { thresholdsPercent } = await parseAdminBody(request, thresholdsInput);
  return Response.json(await setThresholds(runtime.database.db, tenantId, thresholdsPercent));
});
