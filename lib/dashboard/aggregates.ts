import { and, desc, eq, gte, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, usageDaily } from "@/db/schema";

/**
 * Chart data, read from the daily aggregates (one row per tenant, key, served model and UTC day)
 * and never from the ledger, so a chart costs the same with a thousand calls or millions.
 */

/** An inclusive range of UTC days, "YYYY-MM-DD". */
export interface DayRange {
  from: string;
  to: string;
}

export interface Totals {
  costNanoUsd: number;
  requests: number;
  tokens: number;
}

export interface DayPoint extends Totals {
  day: string;
}

const totals = {
  costNanoUsd: sql<number>`coalesce(sum(${usageDaily.costNanoUsd}), 0)`.mapWith(Number),
  requests: sql<number>`coalesce(sum(${usageDaily.requests}), 0)`.mapWith(Number),
  tokens:
    sql<number>`coalesce(sum(${usageDaily.inputTokens} + ${usageDaily.cacheReadTokens} + ${usageDaily.cacheWriteTokens} + ${usageDaily.outputTokens}), 0)`.mapWith(
      Number,
    ),
};

/** Optional narrowing of the aggregates to one key and/or one served model. */
export interface AggregateFilter {
  keyId?: string;
  model?: string;
}

const inRange = (tenantId: string, range: DayRange, filter: AggregateFilter = {}) =>
  and(
    eq(usageDaily.tenantId, tenantId),
    gte(usageDaily.day, range.from),
    lte(usageDaily.day, range.to),
    filter.keyId ? eq(usageDaily.keyId, filter.keyId) : undefined,
    filter.model ? eq(usageDaily.model, filter.model) : undefined,
  );

/** Every day of the range, oldest first, with zeros on days without calls (charts need them). */
export async function totalsByDay(
  db: Db,
  tenantId: string,
  range: DayRange,
  filter: AggregateFilter = {},
): Promise<DayPoint[]> {
  const rows = await db
    .select({ day: usageDaily.day, ...totals })
    .from(usageDaily)
    .where(inRange(tenantId, range, filter))
    .groupBy(usageDaily.day);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return daysOf(range).map((day) => {
    const r = byDay.get(day);
    return {
      day,
      costNanoUsd: r?.costNanoUsd ?? 0,
      requests: r?.requests ?? 0,
      tokens: r?.tokens ?? 0,
    };
  });
}

/** Spend per served model over the range, most expensive first. */
export async function totalsByModel(
  db: Db,
  tenantId: string,
  range: DayRange,
  filter: AggregateFilter = {},
) {
  return db
    .select({ model: usageDaily.model, ...totals })
    .from(usageDaily)
    .where(inRange(tenantId, range, filter))
    .groupBy(usageDaily.model)
    .orderBy(desc(totals.costNanoUsd), desc(totals.requests));
}

/** Spend per key over the range, most expensive first, with the key's name. */
export async function totalsByKey(
  db: Db,
  tenantId: string,
  range: DayRange,
  filter: AggregateFilter = {},
) {
  return db
    .select({ keyId: usageDaily.keyId, name: apiKeys.name, ...totals })
    .from(usageDaily)
    .leftJoin(apiKeys, eq(apiKeys.id, usageDaily.keyId))
    .where(inRange(tenantId, range, filter))
    .groupBy(usageDaily.keyId, apiKeys.name)
    .orderBy(desc(totals.costNanoUsd), desc(totals.requests));
}

/** The sum over the range. */
export async function totalsOf(
  db: Db,
  tenantId: string,
  range: DayRange,
  filter: AggregateFilter = {},
): Promise<Totals> {
  const [row] = await db
    .select(totals)
    .from(usageDaily)
    .where(inRange(tenantId, range, filter));
  return row ?? { costNanoUsd: 0, requests: 0, tokens: 0 };
}

/** The UTC day of a date. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The `days` days ending today (UTC), inclusive. */
export function lastDays(days: number, now = new Date()): DayRange {
  const from = new Date(now.getTime() - (days - 1) * 86_400_000);
  return { from: utcDay(from), to: utcDay(now) };
}

export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  for (
    let t = Date.parse(`${range.from}T00:00:00Z`);
    t <= Date.parse(`${range.to}T00:00:00Z`);
    t += 86_400_000
  ) {
    days.push(utcDay(new Date(t)));
  }
  return days;
}
