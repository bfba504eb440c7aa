import { randomBytes } from "node:crypto";
import type { Redis } from "@upstash/redis";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { usageDaily, usageEvents } from "@/db/schema";
import type { KeyPrincipal } from "@/lib/keys/verify";
import { logger } from "@/lib/log";
import type { Runtime } from "@/lib/runtime";
import { runScript } from "@/lib/store/run-script";
import { budgetPeriod } from "@/lib/usage/summary";
import type { Counter } from "./counters";
import { initScript } from "./scripts";

/** Counters outlive their month by a few days, then expire. */
const COUNTER_TTL_SECONDS = 35 * 24 * 3600;

/**
 * Recreates a missing counter (Redis restarted or flushed, a new month, a changed cap) from the
 * ledger, the source of truth. This process's queued usage is written first so the sum includes
 * it.
 */
export async function rebuildCounter(
  runtime: Runtime,
  redis: Redis,
  principal: KeyPrincipal,
  counter: Counter,
  user: string | null,
  at: number,
): Promise<void> {
  await runtime.usage.flush();
  const { db } = runtime.database;
  const { start, end } = budgetPeriod(new Date(at));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  let spent = 0;
  if (counter.scope === "user") {
    const [row] = await db
      .select({ sum: sql<number>`coalesce(sum(${usageEvents.costNanoUsd}), 0)`.mapWith(Number) })
      .from(usageEvents)
      .where(
        and(
          eq(usageEvents.tenantId, principal.tenantId),
          eq(usageEvents.endUser, user ?? ""),
          gte(usageEvents.createdAt, start),
          lt(usageEvents.createdAt, end),
        ),
      );
    spent = row?.sum ?? 0;
  } else {
    const scope = [
      eq(usageDaily.tenantId, principal.tenantId),
      gte(usageDaily.day, day(start)),
      lt(usageDaily.day, day(end)),
    ];
    if (counter.scope === "key") scope.push(eq(usageDaily.keyId, principal.keyId));
    const [row] = await db
      .select({ sum: sql<number>`coalesce(sum(${usageDaily.costNanoUsd}), 0)`.mapWith(Number) })
      .from(usageDaily)
      .where(and(...scope));
    spent = row?.sum ?? 0;
  }
  const epoch = randomBytes(6).toString("hex");
  const created = await runScript<number>(
    redis,
    initScript,
    [counter.key],
    [String(spent), epoch, String(COUNTER_TTL_SECONDS)],
  );
  if (created === 1)
    logger.info(
      { counter: counter.key, spentNanoUsd: spent },
      "budget counter rebuilt from the ledger",
    );
}
