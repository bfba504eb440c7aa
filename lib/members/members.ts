import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, users } from "@/db/schema";
import type { Membership } from "@/lib/auth/access";
import { GatewayError } from "@/lib/errors";

/** The tenant's members, owners first. */
export async function listMembers(db: Db, tenantId: string) {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(memberships.createdAt));
  return rows
    .map((r) => ({ ...r, since: r.since.toISOString() }))
    .sort((a, b) => Number(b.role === "owner") - Number(a.role === "owner"));
}

/**
 * Takes someone out of a workspace: an owner removes anyone, a member only themselves (leaving).
 * Their sessions lose the workspace at their next request; the keys they created stay the
 * workspace's. A workspace always keeps an owner: the tenant's memberships are locked first, so two
 * owners removing each other at once cannot both succeed.
 */
export async function removeMember(
  db: Db,
  actor: { userId: string; membership: Membership },
  userId: string,
): Promise<void> {
  const { tenantId } = actor.membership;
  if (actor.membership.role !== "owner" && userId !== actor.userId) {
    throw new GatewayError("forbidden", "Only an owner can remove someone else.");
  }
  await db.transaction(async (tx) => {
    const members = await tx
      .select({ userId: memberships.userId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.tenantId, tenantId))
      .for("update");
    const target = members.find((m) => m.userId === userId);
    if (!target) throw new GatewayError("not_found", "No such member in this workspace.");
    const owners = members.filter((m) => m.role === "owner").length;
    if (target.role === "owner" && owners <= 1) {
      throw new GatewayError(
        "conflict",
        "A workspace needs an owner: its last owner cannot leave or be removed.",
      );
    }
    await tx
      .delete(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  });
}
