import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, users } from "@/db/schema";
import type { GatewayConfig } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import { newId } from "@/lib/keys/secret";
import { createTenant } from "@/lib/tenants/tenants";

export type UserRow = typeof users.$inferSelect;

/** Emails are compared lower-cased and trimmed: "Ada@Example.com " and "ada@example.com" are one. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  return row;
}

export async function getUser(db: Db, userId: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row;
}

/**
 * Creates a user and their own workspace (a tenant on the config's default tier) with them as
 * owner, in one transaction: there is never a user without a tenant to land on. A taken email is
 * a 409 `conflict`.
 */
export async function createUserWithWorkspace(
  db: Db,
  config: GatewayConfig,
  input: { email: string; name?: string | null; passwordHash?: string | null; workspace?: string },
): Promise<{ user: UserRow; tenantId: string }> {
  const email = normalizeEmail(input.email);
  if (await findUserByEmail(db, email)) {
    throw new GatewayError("conflict", "An account with this email exists already. Sign in.", {
      param: "email",
    });
  }
  const workspace =
    input.workspace?.trim() || `${input.name?.trim() || email.split("@")[0]}'s workspace`;
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    const [user] = await txDb
      .insert(users)
      .values({
        id: newId("usr"),
        email,
        name: input.name?.trim() || null,
        passwordHash: input.passwordHash ?? null,
      })
      .returning();
    if (!user) throw new Error("insert returned no row");
    const tenant = await createTenant(txDb, config, { name: workspace });
    await txDb.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role: "owner" });
    return { user, tenantId: tenant.id };
  });
}
