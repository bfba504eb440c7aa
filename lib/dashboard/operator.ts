import { asc, count, eq, gte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, memberships, tenants, usageDaily } from "@/db/schema";
import type { GatewayConfig } from "@/lib/config/load";
import { effectiveBudgetNanoUsd } from "@/lib/tenants/tenants";
import { budgetPeriod } from "@/lib/usage/summary";

/** Every tenant for the operator's table: tier, this month's spend, the cap in force, counts. */
export async function listAllTenants(db: Db, config: GatewayConfig, now = new Date()) {
  const monthStart = budgetPeriod(now).start.toISOString().slice(0, 10);
  const spend = db
    .select({
      tenantId: usageDaily.tenantId,
      cost: sql<number>`sum(${usageDaily.costNanoUsd})`.as("cost"),
    })
    .from(usageDaily)
    .where(gte(usageDaily.day, monthStart))
    .groupBy(usageDaily.tenantId)
    .as("spend");
  const keyCounts = db
    .select({ tenantId: apiKeys.tenantId, n: count().as("key_n") })
    .from(apiKeys)
    .where(sql`${apiKeys.revokedAt} is null`)
    .groupBy(apiKeys.tenantId)
    .as("key_counts");
  const memberCounts = db
    .select({ tenantId: memberships.tenantId, n: count().as("member_n") })
    .from(memberships)
    .groupBy(memberships.tenantId)
    .as("member_counts");
  const rows = await db
    .select({
      tenant: tenants,
      cost: spend.cost,
      keys: keyCounts.n,
      members: memberCounts.n,
    })
    .from(tenants)
    .leftJoin(spend, eq(spend.tenantId, tenants.id))
    .leftJoin(keyCounts, eq(keyCounts.tenantId, tenants.id))
    .leftJoin(memberCounts, eq(memberCounts.tenantId, tenants.id))
    .orderBy(asc(tenants.createdAt));
  return rows.map((r) => ({
    id: r.tenant.id,
    name: r.tenant.name,
    tier: r.tenant.tier,
    budgetOverridden: r.tenant.budgetOverridden,
    budgetNanoUsd: effectiveBudgetNanoUsd(config, r.tenant),
    monthSpendNanoUsd: Number(r.cost ?? 0),
    activeKeys: Number(r.keys ?? 0),
    members: Number(r.members ?? 0),
    createdAt: r.tenant.createdAt.toISOString(),
  }));
}

export type OperatorTenant = Awaited<ReturnType<typeof listAllTenants>>[number];
