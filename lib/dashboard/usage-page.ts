import type { Db } from "@/db/client";
import { totalsByDay, totalsByKey, totalsByModel, totalsOf } from "./aggregates";
import { type RequestFilters, recentRequests, resolveRange } from "./requests";

/**
 * Everything the usage page shows for a range and filters, read in parallel: the charts from the
 * daily aggregates, one page of calls from the ledger. `serverMs` is the time spent here, the
 * figure the 1,000,000-event benchmark reports.
 */
export async function usagePage(db: Db, tenantId: string, filters: RequestFilters) {
  const startedAt = performance.now();
  const range = resolveRange(filters);
  const narrow = { keyId: filters.key, model: filters.model };
  const [totals, byDay, byModel, byKey, requests] = await Promise.all([
    totalsOf(db, tenantId, range, narrow),
    totalsByDay(db, tenantId, range, narrow),
    totalsByModel(db, tenantId, range, narrow),
    totalsByKey(db, tenantId, range, narrow),
    recentRequests(db, tenantId, range, filters),
  ]);
  return {
    range,
    totals,
    byDay,
    byModel,
    byKey: byKey.map((k) => ({ ...k, name: k.name ?? k.keyId })),
    requests,
    serverMs: performance.now() - startedAt,
  };
}
