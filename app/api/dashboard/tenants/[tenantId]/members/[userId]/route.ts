import { tenantRoute } from "@/lib/auth/route";
import { methodNotAllowed } from "@/lib/http/method";
import { removeMember } from "@/lib/members/members";

export const dynamic = "force-dynamic";

/** An owner removes a member, or a member leaves (their own user id). */
export const DELETE = tenantRoute<{ tenantId: string; userId: string }>(
  undefined,
  async (_request, { runtime, user, membership }, { userId }) => {
    await removeMember(runtime.database.db, { userId: user.id, membership }, userId);
    return new Response(null, { status: 204 });
  },
);

const otherMethod = methodNotAllowed("DELETE");

export { otherMethod as GET, otherMethod as POST, otherMethod as PUT, otherMethod as PATCH };
