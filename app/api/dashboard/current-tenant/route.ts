import { cookies } from "next/headers";
import { z } from "zod";
import { parseAdminBody } from "@/lib/admin/inputs";
import { requireMembership } from "@/lib/auth/access";
import { userRoute } from "@/lib/auth/route";
import { TENANT_COOKIE } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

const input = z.strictObject({ tenantId: z.string().min(1) });

/** Switches the workspace the dashboard shows; only to one the user is a member of. */
export const POST = userRoute(async (request, { runtime, user }) => {
  const { tenantId } = await parseAdminBody(request, input);
  await requireMembership(runtime.database.db, user.id, tenantId);
  (await cookies()).set(TENANT_COOKIE, tenantId, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 365 * 24 * 3600,
  });
  return Response.json({ tenantId });
});
