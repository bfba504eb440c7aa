import { eq } from "drizzle-orm";
import { alertSettings } from "@/db/schema";
import type { SettledSpend } from "@/lib/budgets/settle";
import { monthOf, now } from "@/lib/clock";
import type { KeyPrincipal } from "@/lib/keys/verify";
import type { Logger } from "@/lib/log";
import type { Runtime } from "@/lib/runtime";
import { dispatchAlert } from "./deliver";

/** A point of month-to-date spend that triggers an alert when crossed. */
export interface Threshold {
  /** Percent of the cap, or 0 for an absolute amount (uncapped tiers). */
  percent: number;
  /** Absolute amount for uncapped tiers, 0 for percentages. */
  amountNanoUsd: number;
  /** Where it lies in nano-dollars this month. */
  atNanoUsd: number;
}

// Tenants' own thresholds, cached briefly: settlements must not read the database each time.
const TTL_MS = 5000;
const cache = new Map<string, { percents: number[] | null; until: number }>();

async function tenantPercents(runtime: Runtime, tenantId: string): Promise<number[] | null> {
  const hit = cache.get(tenantId);
  if (hit && hit.until > Date.now()) return hit.percents;
  const [row] = await runtime.database.db
    .select({ percents: alertSettings.thresholdsPercent })
    .from(alertSettings)
    .where(eq(alertSettings.tenantId, tenantId));
  const percents = row?.percents ?? null;
  cache.set(tenantId, { percents, until: Date.now() + TTL_MS });
  return percents;
}

/** The thresholds a settlement moved past: strictly below before it, at or above after it. */
export function crossedThresholds(
  spend: SettledSpend,
  percents: number[],
  amountsNanoUsd: number[],
): Threshold[] {
  const points: Threshold[] =
    spend.capNanoUsd === null
      ? amountsNanoUsd.map((amount) => ({ percent: 0, amountNanoUsd: amount, atNanoUsd: amount }))
      : percents.map((percent) => ({
          percent,
          amountNanoUsd: 0,
          atNanoUsd: Math.ceil(((spend.capNanoUsd as number) * percent) / 100),
        }));
  return points.filter(
    (p) => spend.beforeNanoUsd < p.atNanoUsd && p.atNanoUsd <= spend.afterNanoUsd,
  );
}

/**
 * After a settlement: alerts for every threshold it crossed. The tier's thresholds apply unless
 * the tenant set its own; uncapped tiers use absolute amounts. Exactly-once is the delivery table's
 * unique index, so several instances crossing at once still send one alert.
 */
export async function alertOnThresholds(
  runtime: Runtime,
  principal: KeyPrincipal,
  spend: SettledSpend,
  log: Logger,
): Promise<void> {
  if (spend.afterNanoUsd <= spend.beforeNanoUsd) return;
  const tier = runtime.config.tiers.get(principal.tier);
  if (!tier) return;
  const percents =
    (await tenantPercents(runtime, principal.tenantId)) ?? tier.alertThresholdsPercent;
  const crossed = crossedThresholds(spend, percents, tier.alertAmountsNanoUsd);
  const period = `${monthOf(now())}-01`;
  for (const threshold of crossed) {
    await dispatchAlert(runtime, principal.tenantId, period, threshold, spend, log);
  }
}
