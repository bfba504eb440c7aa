import { cookies } from "next/headers";
import { userRoute } from "@/lib/auth/route";
import { TENANT_COOKIE } from "@/lib/auth/session";
import { acceptInvite } from "@/lib/members/invites";

export const dynamic = "force-dynamic";

/** The signed-in user accepts an invite and lands in that workspace. */
export const POST = userRoute<{ token: string }>(async (_request, { runtime, user }, { token }) => {
  const { tenantId } = await acceptInvite(runtime.database.db, token, user.id);
  (await cookies()).set(TENANT_COOKIE, tenantId, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 365 * 24 * 3600,
  });
  return Response.json({ tenantId });
});
