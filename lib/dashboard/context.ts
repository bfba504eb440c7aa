import { notFound } from "next/navigation";
import type { Membership } from "@/lib/auth/access";
import { currentMembership, requirePageUser, type SignedInUser } from "@/lib/auth/session";
import { getRuntime, type Runtime } from "@/lib/runtime";

export interface PageContext {
  user: SignedInUser;
  tenant: Membership;
  memberships: Membership[];
  runtime: Runtime;
}

/**
 * What every dashboard page starts with: the signed-in user (else a redirect to /signin) and the
 * workspace shown, which is always one they are a member of. Someone with no workspace left (all
 * memberships removed) gets the layout's explanation instead of a page.
 */
export async function pageContext(path: string): Promise<PageContext> {
  const user = await requirePageUser(path);
  const { current, all } = await currentMembership(user);
  if (!current) notFound();
  return { user, tenant: current, memberships: all, runtime: await getRuntime() };
}
