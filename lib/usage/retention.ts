import { inArray, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { usageEvents } from "@/db/schema";
import { logger } from "@/lib/log";
import { metrics } from "@/lib/observability/metrics";

/**
 * How long raw usage events are kept. Daily aggregates (`usage_daily`) are never deleted, so
 * charts and monthly totals survive; only the per-call ledger rows go.
 */
export interface RetentionPolicy {
  /** `TOLLGATE_USAGE_RETENTION_DAYS`: 400 by default (13 months, so a year-on-year month can
   * still be audited call by call); fractions allowed; "off" keeps everything (null here). */
  retentionDays: number | null;
  /** `TOLLGATE_USAGE_RETENTION_INTERVAL_MS`: time between runs, one hour by default. */
  intervalMs: number;
  /** Rows per delete statement: small enough that no statement holds locks for long. */
  batchSize: number;
}

const DEFAULT_DAYS = 400;
const DEFAULT_INTERVAL_MS = 60 * 60 * 1000;
// The first run waits this long at most after start-up, so a fleet restart does not start with a
// burst of deletes while the instances are warming up.
const FIRST_RUN_MAX_DELAY_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;
// Budget counters for end users are rebuilt from the current month's raw events (lib/budgets).
const MONTH_DAYS = 32;

/** Reads the policy from the environment; throws on a value that is not a number of days. */
export function retentionPolicy(
  env: Record<string, string | undefined> = process.env,
): RetentionPolicy {
  const rawDays = env.TOLLGATE_USAGE_RETENTION_DAYS?.trim();
  const days = rawDays === undefined || rawDays === "" ? DEFAULT_DAYS : rawDays;
  const retentionDays = days === "off" ? null : Number(days);
  if (retentionDays !== null && !(Number.isFinite(retentionDays) && retentionDays >= 0)) {
    throw new Error(
      `TOLLGATE_USAGE_RETENTION_DAYS must be a number of days >= 0 or "off", not "${rawDays}"`,
    );
  }
  const intervalMs = Number(env.TOLLGATE_USAGE_RETENTION_INTERVAL_MS ?? DEFAULT_INTERVAL_MS);
  return {
    retentionDays,
    intervalMs: intervalMs > 0 ? intervalMs : DEFAULT_INTERVAL_MS,
    batchSize: 5000,
  };
}

/**
 * Deletes the usage events created before `olderThan`, `batchSize` rows per statement, and returns
 * how many went. Safe to run on several instances at once: each batch locks the rows it picks and
 * skips rows another instance has locked, so they share the work instead of waiting on each other.
 */
export async function deleteExpiredUsage(
  db: Db,
  olderThan: Date,
  batchSize = 5000,
  shouldStop: () => boolean = () => false,
): Promise<number> {
  let total = 0;
  for (;;) {
    const expired = db
      .select({ id: usageEvents.id })
      .from(usageEvents)
      .where(lt(usageEvents.createdAt, olderThan))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    const deleted = await db
      .delete(usageEvents)
      .where(inArray(usageEvents.id, expired))
      .returning({ id: usageEvents.id });
    total += deleted.length;
    if (deleted.length < batchSize || shouldStop()) return total;
  }
}

/**
 * Runs deleteExpiredUsage on a timer (unref'd: it never keeps the process alive). `stop()` cancels
 * the timer and waits for a run in progress, so that shutdown closes the database after it.
 */
export function scheduleRetention(
  db: Db,
  policy: RetentionPolicy = retentionPolicy(),
): { stop(): Promise<void> } {
  const { retentionDays, intervalMs, batchSize } = policy;
  if (retentionDays === null) return { stop: async () => {} };
  if (retentionDays < MONTH_DAYS) {
    logger.warn(
      { retentionDays },
      "usage retention is shorter than a month: per-end-user budgets, rebuilt from the month's raw events, would undercount",
    );
  }
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;

  const run = async () => {
    const olderThan = new Date(Date.now() - retentionDays * DAY_MS);
    try {
      const deleted = await deleteExpiredUsage(db, olderThan, batchSize, () => stopped);
      metrics().retentionDeleted.inc(deleted);
      if (deleted > 0) {
        logger.info({ deleted, olderThan: olderThan.toISOString() }, "usage retention ran");
      }
    } catch (err) {
      logger.error({ err }, "usage retention failed; will retry at the next run");
    }
  };
  const next = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run().finally(() => {
        running = null;
        next(intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  next(Math.min(intervalMs, FIRST_RUN_MAX_DELAY_MS));

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
