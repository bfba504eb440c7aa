import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { memberships, tenants } from "@/db/schema";
import { GatewayError } from "@/lib/errors";

export type Role = "owner" | "member";

export interface Membership {
  tenantId: string;
  tenantName: string;
  tier: string;
  role: Role;
}

/** The tenants a user belongs to, oldest membership first (the first is their own workspace). */
export async function listMemberships(db: Db, userId: string): Promise<Membership[]> {
  const rows = await db
    .select({
      tenantId: tenants.id,
      tenantName: tenants.name,
      tier: tenants.tier,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(tenants, eq(memberships.tenantId, tenants.id))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
  return rows.map((r) => ({ ...r, role: r.role === "owner" ? "owner" : "member" }));
}

/**
 * The user's membership of a tenant, or a 404: someone outside a tenant learns nothing about it,
 * not even that it exists. With `role: "owner"`, a plain member gets 403.
 */
export async function requireMembership(
  db: Db,
  userId: string,
  tenantId: string,
  role?: Role,
): Promise<Membership> {
  const [row] = await db
    .select({
      tenantId: tenants.id,
      tenantName: tenants.name,
      tier: tenants.tier,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(tenants, eq(memberships.tenantId, tenants.id))
    .where(and(eq(memberships.userId, userId), eq(memberships.tenantId, tenantId)));
  if (!row) throw new GatewayError("not_found", `No workspace with id "${tenantId}".`);
  if (role === "owner" && row.role !== "owner") {
    throw new GatewayError("forbidden", "Only an owner of this workspace can do this.");
  }
  return { ...row, role: row.role === "owner" ? "owner" : "member" };
}

/** Operators are the emails listed in TOLLGATE_ADMIN_EMAILS (comma-separated); they see /admin. */
export function isOperator(email: string | null | undefined): boolean {
  if (!email) return false;
  const list = (process.env.TOLLGATE_ADMIN_EMAILS ?? "")
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  return list.includes(email.trim().toLowerCase());
}
