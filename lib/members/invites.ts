import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invites, memberships, tenants } from "@/db/schema";
import { GatewayError } from "@/lib/errors";
import { newId } from "@/lib/keys/secret";

/** An invite link works for a week, once. */
const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a link that lets one person join the tenant as a member; only its hash is stored. */
export async function createInvite(db: Db, tenantId: string, createdBy: string) {
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  await db
    .insert(invites)
    .values({ id: newId("inv"), tenantId, tokenHash: hashToken(token), createdBy, expiresAt });
  return { token, path: `/invite/${token}`, expiresAt: expiresAt.toISOString() };
}

/** The open invite behind a token, with its workspace's name; null when unknown, used or expired. */
export async function openInvite(db: Db, token: string) {
  const [row] = await db
    .select({ id: invites.id, tenantId: invites.tenantId, tenantName: tenants.name })
    .from(invites)
    .innerJoin(tenants, eq(tenants.id, invites.tenantId))
    .where(
      and(
        eq(invites.tokenHash, hashToken(token)),
        isNull(invites.acceptedAt),
        gt(invites.expiresAt, new Date()),
      ),
    );
  return row ?? null;
}

/**
 * Makes the user a member of the invite's tenant and uses the invite up, in one transaction: two
 * people racing for one link cannot both join. Someone already in the tenant keeps their role.
 */
export async function acceptInvite(db: Db, token: string, userId: string) {
  return db.transaction(async (tx) => {
    const used = await tx
      .update(invites)
      .set({ acceptedAt: new Date() })
      .where(
        and(
          eq(invites.tokenHash, hashToken(token)),
          isNull(invites.acceptedAt),
          gt(invites.expiresAt, new Date()),
        ),
      )
      .returning({ tenantId: invites.tenantId });
    const tenantId = used[0]?.tenantId;
    if (!tenantId) {
      throw new GatewayError(
        "not_found",
        "This invite link is unknown, used or expired. Ask for a new one.",
      );
    }
    await tx.insert(memberships).values({ tenantId, userId, role: "member" }).onConflictDoNothing();
    return { tenantId };
  });
}
