import type { Db } from "@/db/client";
import type { GatewayConfig } from "@/lib/config/load";
import { budgetPeriod, usageSummary } from "@/lib/usage/summary";
import { lastDays, totalsByDay, totalsByModel, totalsOf, utcDay } from "./aggregates";
import { listTenantKeys } from "./keys";

export interface RateLimitView {
  scope: string;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  /** Left in the current window (the workspace row only); null where not read. */
  requestsRemaining: number | null;
  tokensRemaining: number | null;
}

export interface Headroom {
  requestsRemaining: number;
  tokensRemaining: number;
}

/**
 * Everything the overview shows: month-to-date spend against the cap and its reset date, calls
 * today, the last 30 days of spend, the month's top models, and the rate limits that apply.
 *
 * Limits are the configured ones; `headroom` (what is left of the workspace's current window,
 * read by the caller with lib/limits' tenantHeadroom) is shown next to the tier's row.
 */
export async function overview(
  db: Db,
  config: GatewayConfig,
  tenantId: string,
  now = new Date(),
  headroom: Headroom | null = null,
) {
  const [month, today, daily, keys] = await Promise.all([
    usageSummary(db, config, tenantId, now),
    totalsOf(db, tenantId, { from: utcDay(now), to: utcDay(now) }),
    totalsByDay(db, tenantId, lastDays(30, now)),
    listTenantKeys(db, tenantId, now),
  ]);
  const { start, end } = budgetPeriod(now);
  const topModels = await totalsByModel(db, tenantId, { from: utcDay(start), to: utcDay(now) });
  const tier = config.tiers.get(month.tier);
  return {
    tier: month.tier,
    spendNanoUsd: month.spendNanoUsd,
    budgetNanoUsd: month.budgetNanoUsd,
    periodStart: start.toISOString(),
    resetsAt: end.toISOString(),
    requestsToday: today.requests,
    costTodayNanoUsd: today.costNanoUsd,
    requestsThisMonth: month.requests,
    daily,
    topModels: topModels.slice(0, 5),
    rateLimits: rateLimits(tier, keys, headroom),
    activeKeys: keys.filter((k) => !k.revokedAt).length,
  };
}

function rateLimits(
  tier: { requestsPerMinute: number; tokensPerMinute: number } | undefined,
  keys: Awaited<ReturnType<typeof listTenantKeys>>,
  headroom: Headroom | null,
): RateLimitView[] {
  const views: RateLimitView[] = [
    {
      scope: "Workspace (tier)",
      requestsPerMinute: tier?.requestsPerMinute ?? null,
      tokensPerMinute: tier?.tokensPerMinute ?? null,
      requestsRemaining: headroom?.requestsRemaining ?? null,
      tokensRemaining: headroom?.tokensRemaining ?? null,
    },
  ];
  for (const key of keys) {
    if (key.revokedAt || (!key.requestsPerMinute && !key.tokensPerMinute)) continue;
    views.push({
      scope: `Key "${key.name}"`,
      requestsPerMinute: key.requestsPerMinute,
      tokensPerMinute: key.tokensPerMinute,
      requestsRemaining: null,
      tokensRemaining: null,
    });
  }
  return views;
}
