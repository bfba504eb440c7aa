import { tenantRoute } from "@/lib/auth/route";
import { createInvite } from "@/lib/members/invites";

export const dynamic = "force-dynamic";

/** An owner creates an invite link; the answer holds the only copy of its token. */
export const POST = tenantRoute("owner", async (_request, { runtime, user }, { tenantId }) => {
  const invite = await createInvite(runtime.database.db, tenantId, user.id);
  return Response.json(invite, { status: 201, headers: { "cache-control": "no-store" } });
});
