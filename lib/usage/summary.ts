import { and, desc, eq, gte, isNotNull, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { usageDaily, usageEvents } from "@/db/schema";
import { now } from "@/lib/clock";
import type { GatewayConfig } from "@/lib/config/load";
import { nanoToUsd } from "@/lib/pricing/units";
import { effectiveBudgetNanoUsd, getTenant } from "@/lib/tenants/tenants";

/** The budget period: the calendar month in UTC that contains `now`. */
export function budgetPeriod(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

/**
 * Month-to-date usage of a tenant, as served by `GET /v1/usage` and the admin API. Dollar figures
 * are derived from the exact nano-dollar integers, which are returned too.
 */
export async function usageSummary(
  db: Db,
  config: GatewayConfig,
  tenantId: string,
  at = new Date(now()),
) {
  const tenant = await getTenant(db, tenantId);
  const { start, end } = budgetPeriod(at);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const rows = await db
    .select({
      model: usageDaily.model,
      requests: sql<number>`sum(${usageDaily.requests})`.mapWith(Number),
      inputTokens:
        sql<number>`sum(${usageDaily.inputTokens} + ${usageDaily.cacheReadTokens} + ${usageDaily.cacheWriteTokens})`.mapWith(
          Number,
        ),
      cacheReadTokens: sql<number>`sum(${usageDaily.cacheReadTokens})`.mapWith(Number),
      cacheWriteTokens: sql<number>`sum(${usageDaily.cacheWriteTokens})`.mapWith(Number),
      outputTokens: sql<number>`sum(${usageDaily.outputTokens})`.mapWith(Number),
      costNanoUsd: sql<number>`sum(${usageDaily.costNanoUsd})`.mapWith(Number),
    })
    .from(usageDaily)
    .where(
      and(
        eq(usageDaily.tenantId, tenantId),
        gte(usageDaily.day, day(start)),
        lt(usageDaily.day, day(end)),
      ),
    )
    .groupBy(usageDaily.model)
    .orderBy(usageDaily.model);

  const users = await spendByEndUser(db, tenantId, start, end);
  const userCap = config.tiers.get(tenant.tier)?.perUserMonthlyBudgetNanoUsd ?? null;
  const total = (pick: (r: (typeof rows)[number]) => number) =>
    rows.reduce((s, r) => s + pick(r), 0);
  const spend = total((r) => r.costNanoUsd);
  const budget = effectiveBudgetNanoUsd(config, tenant);
  const remaining = budget === null ? null : Math.max(0, budget - spend);
  return {
    tenantId,
    tier: tenant.tier,
    periodStart: start.toISOString(),
    periodEnd: end.toISOString(),
    spendUsd: nanoToUsd(spend),
    budgetUsd: budget === null ? null : nanoToUsd(budget),
    remainingUsd: remaining === null ? null : nanoToUsd(remaining),
    spendNanoUsd: spend,
    budgetNanoUsd: budget,
    remainingNanoUsd: remaining,
    requests: total((r) => r.requests),
    inputTokens: total((r) => r.inputTokens),
    cacheReadTokens: total((r) => r.cacheReadTokens),
    cacheWriteTokens: total((r) => r.cacheWriteTokens),
    outputTokens: total((r) => r.outputTokens),
    byModel: rows.map((r) => ({
      model: r.model,
      spendUsd: nanoToUsd(r.costNanoUsd),
      spendNanoUsd: r.costNanoUsd,
      requests: r.requests,
    })),
    /** The tenant's own end users (OpenAI's `user` field), most spending first, with their cap. */
    byUser: users.map((u) => ({
      user: u.user,
      spendUsd: nanoToUsd(u.costNanoUsd),
      spendNanoUsd: u.costNanoUsd,
      requests: u.requests,
      budgetUsd: userCap === null ? null : nanoToUsd(userCap),
    })),
  };
}

/** Spend per end user this period, from the ledger (the daily totals have no user dimension). */
async function spendByEndUser(db: Db, tenantId: string, start: Date, end: Date) {
  return db
    .select({
      user: sql<string>`${usageEvents.endUser}`,
      requests: sql<number>`count(*)`.mapWith(Number),
      costNanoUsd: sql<number>`sum(${usageEvents.costNanoUsd})`.mapWith(Number),
    })
    .from(usageEvents)
    .where(
      and(
        eq(usageEvents.tenantId, tenantId),
        isNotNull(usageEvents.endUser),
        gte(usageEvents.createdAt, start),
        lt(usageEvents.createdAt, end),
      ),
    )
    .groupBy(usageEvents.endUser)
    .orderBy(desc(sql`sum(${usageEvents.costNanoUsd})`))
    .limit(100);
}
