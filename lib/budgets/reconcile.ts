import { and, eq, gte, lt, sql } from "drizzle-orm";
import { tenants, usageDaily } from "@/db/schema";
import { monthOf, now } from "@/lib/clock";
import type { Runtime } from "@/lib/runtime";
import { withStore } from "@/lib/store";
import { budgetPeriod } from "@/lib/usage/summary";

export interface ReconcileRow {
  tenantId: string;
  /** This month's spend in the ledger. */
  ledgerNanoUsd: number;
  /** The store's counter (spend plus reservations in flight); null when it has none yet. */
  counterNanoUsd: number | null;
  /** counter − ledger: reservations in flight while traffic runs, 0 when idle and in step. */
  differenceNanoUsd: number | null;
}

/**
 * Compares each tenant's month-to-date spend in the ledger (the source of truth) with the budget
 * counter in the store. Usage queued in this process is written first. One MGET for all tenants.
 */
export async function reconcile(runtime: Runtime, tenantId?: string): Promise<ReconcileRow[]> {
  await runtime.usage.flush();
  const at = now();
  const { start, end } = budgetPeriod(new Date(at));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const { db } = runtime.database;
  const ids = tenantId
    ? [tenantId]
    : (await db.select({ id: tenants.id }).from(tenants).orderBy(tenants.id)).map((t) => t.id);
  if (ids.length === 0) return [];
  const sums = await db
    .select({
      tenantId: usageDaily.tenantId,
      sum: sql<number>`sum(${usageDaily.costNanoUsd})`.mapWith(Number),
    })
    .from(usageDaily)
    .where(
      and(
        gte(usageDaily.day, day(start)),
        lt(usageDaily.day, day(end)),
        tenantId ? eq(usageDaily.tenantId, tenantId) : undefined,
      ),
    )
    .groupBy(usageDaily.tenantId);
  const ledger = new Map(sums.map((s) => [s.tenantId, s.sum]));
  const month = monthOf(at);
  const keys = ids.map((id) => `${runtime.store.prefix}:b:${month}:t:${id}`);
  const counters = await withStore(runtime.store, (redis) =>
    redis.mget<(string | number | null)[]>(...keys),
  );
  return ids.map((id, i) => {
    const counter = counters[i] === null || counters[i] === undefined ? null : Number(counters[i]);
    const spent = ledger.get(id) ?? 0;
    return {
      tenantId: id,
      ledgerNanoUsd: spent,
      counterNanoUsd: counter,
      differenceNanoUsd: counter === null ? null : counter - spent,
    };
  });
}
