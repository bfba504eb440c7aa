import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { GatewayError } from "@/lib/errors";
import { getRuntime } from "@/lib/runtime";
import { isOperator, listMemberships, type Membership } from "./access";
import { authOptions } from "./options";
import { getUser } from "./users";

/** The cookie remembering which of a user's workspaces the dashboard shows. */
export const TENANT_COOKIE = "tg_tenant";

export interface SignedInUser {
  id: string;
  email: string;
  name: string | null;
  operator: boolean;
}

/** The signed-in user, read from the session cookie and confirmed in the database; else null. */
export async function currentUser(): Promise<SignedInUser | null> {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const { db } = (await getRuntime()).database;
  const user = await getUser(db, id);
  if (!user) return null;
  return { id: user.id, email: user.email, name: user.name, operator: isOperator(user.email) };
}

/** For routes: the user, or 401 `not_signed_in`. */
export async function requireUser(): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) throw new GatewayError("not_signed_in", "Sign in at /signin first.");
  return user;
}

/** For pages: the user, or a redirect to the sign-in page that comes back to `path`. */
export async function requirePageUser(path: string): Promise<SignedInUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  return user;
}

/**
 * The workspace a dashboard page shows: the one the tenant cookie names when the user belongs to
 * it, else their first. The cookie is only a preference; membership is checked every time.
 */
export async function currentMembership(
  user: SignedInUser,
): Promise<{ current: Membership | null; all: Membership[] }> {
  const { db } = (await getRuntime()).database;
  const all = await listMemberships(db, user.id);
  const wanted = (await cookies()).get(TENANT_COOKIE)?.value;
  const current = all.find((m) => m.tenantId === wanted) ?? all[0] ?? null;
  return { current, all };
}
