import { requireAdmin } from "@/lib/admin/auth";
import { removeWebhook } from "@/lib/alerts/settings";
import { apiHandler } from "@/lib/http/handler";
import { methodNotAllowed } from "@/lib/http/method";

export const dynamic = "force-dynamic";

export const DELETE = apiHandler<{ id: string; webhookId: string }>(
  async (request, { runtime }, { id, webhookId }) => {
    requireAdmin(request);
    await removeWebhook(runtime.database.db, id, webhookId);
    return new Response(null, { status: 204 });
  },
);

const otherMethod = methodNotAllowed("DELETE");

export { otherMethod as GET, otherMethod as POST, otherMethod as PUT, otherMethod as PATCH };
