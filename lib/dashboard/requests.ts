import { and, desc, eq, gte, lt, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { apiKeys, usageEvents } from "@/db/schema";
import { type DayRange, lastDays, utcDay } from "./aggregates";

export const PAGE_SIZE = 50;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The usage page's query string: range, filters and page, all optional. */
export const requestFilters = z.object({
  from: day.optional(),
  to: day.optional(),
  key: z.string().max(100).optional(),
  model: z.string().max(200).optional(),
  status: z.enum(["ok", "error"]).optional(),
  page: z.coerce.number().int().min(0).max(10_000).optional(),
});
export type RequestFilters = z.infer<typeof requestFilters>;

export interface RequestRow {
  id: number;
  createdAt: string;
  keyId: string;
  keyName: string | null;
  modelRequested: string;
  modelServed: string;
  inputTokens: number;
  outputTokens: number;
  costNanoUsd: number;
  latencyMs: number;
  status: number;
  outcome: string;
  streamed: boolean;
  /** The model that answered is not the one asked for: a fallback served the call. */
  fellBack: boolean;
}

/**
 * The condition for one tenant's events in a range of UTC days with the filters. The time bounds
 * come first so the (tenant, created_at) index does the work even with millions of events.
 */
export function eventConditions(tenantId: string, range: DayRange, f: RequestFilters): SQL {
  const start = new Date(`${range.from}T00:00:00Z`);
  const end = new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000);
  const parts: Array<SQL | undefined> = [
    eq(usageEvents.tenantId, tenantId),
    gte(usageEvents.createdAt, start),
    lt(usageEvents.createdAt, end),
  ];
  if (f.key) parts.push(eq(usageEvents.keyId, f.key));
  if (f.model) {
    parts.push(or(eq(usageEvents.modelServed, f.model), eq(usageEvents.modelRequested, f.model)));
  }
  if (f.status === "ok") parts.push(lt(usageEvents.status, 400));
  if (f.status === "error") parts.push(gte(usageEvents.status, 400));
  return and(...parts) as SQL;
}

/** One page of the tenant's calls, newest first; `hasMore` without counting the whole range. */
export async function recentRequests(
  db: Db,
  tenantId: string,
  range: DayRange,
  filters: RequestFilters,
): Promise<{ rows: RequestRow[]; hasMore: boolean; page: number }> {
  const page = filters.page ?? 0;
  const rows = await db
    .select({ event: usageEvents, keyName: apiKeys.name })
    .from(usageEvents)
    .leftJoin(apiKeys, eq(apiKeys.id, usageEvents.keyId))
    .where(eventConditions(tenantId, range, filters))
    .orderBy(desc(usageEvents.createdAt), desc(usageEvents.id))
    .limit(PAGE_SIZE + 1)
    .offset(page * PAGE_SIZE);
  return {
    page,
    hasMore: rows.length > PAGE_SIZE,
    rows: rows.slice(0, PAGE_SIZE).map(({ event: e, keyName }) => ({
      id: e.id,
      createdAt: e.createdAt.toISOString(),
      keyId: e.keyId,
      keyName,
      modelRequested: e.modelRequested,
      modelServed: e.modelServed,
      inputTokens: e.inputTokens + e.cacheReadTokens + e.cacheWriteTokens,
      outputTokens: e.outputTokens,
      costNanoUsd: e.costNanoUsd,
      latencyMs: e.latencyMs,
      status: e.status,
      outcome: e.outcome,
      streamed: e.streamed,
      fellBack: e.modelRequested !== e.modelServed,
    })),
  };
}

/** Longest range a page or an export covers: a year of days keeps every query bounded. */
const MAX_RANGE_DAYS = 366;

/**
 * The range the filters ask for: the last 30 days by default; a reversed range is swapped and one
 * longer than a year is cut to the year ending at `to`.
 */
export function resolveRange(f: RequestFilters, now = new Date()): DayRange {
  const fallback = lastDays(30, now);
  let from = f.from ?? fallback.from;
  let to = f.to ?? (f.from && f.from > fallback.to ? f.from : fallback.to);
  if (from > to) [from, to] = [to, from];
  const earliest = new Date(Date.parse(`${to}T00:00:00Z`) - (MAX_RANGE_DAYS - 1) * 86_400_000);
  if (Date.parse(`${from}T00:00:00Z`) < earliest.getTime()) from = utcDay(earliest);
  return { from, to };
}
