import { and, asc, eq, gt, or, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, usageEvents } from "@/db/schema";
import { nanoToUsdString } from "@/lib/pricing/units";
import type { DayRange } from "./aggregates";
import { eventConditions, type RequestFilters } from "./requests";

const BATCH = 5000;

const HEADER = [
  "time",
  "request_id",
  "key_id",
  "key_name",
  "model_requested",
  "model_served",
  "provider",
  "input_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "output_tokens",
  "cost_usd",
  "latency_ms",
  "status",
  "outcome",
  "streamed",
];

/**
 * A CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ is prefixed
 * with ' so a spreadsheet never runs a key name as a formula.
 */
export function csvField(value: string | number | boolean | null): string {
  let text = value === null ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The tenant's calls in the range as CSV, oldest first, streamed in batches of 5,000 read by
 * keyset (time, id) so that memory stays flat however many rows the range holds. Cost is the exact
 * decimal dollar amount.
 */
export function usageCsvStream(
  db: Db,
  tenantId: string,
  range: DayRange,
  filters: RequestFilters,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { createdAt: Date; id: number } | null = null;
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`${HEADER.join(",")}\r\n`));
        return;
      }
      const conditions: Array<SQL | undefined> = [eventConditions(tenantId, range, filters)];
      if (after) {
        conditions.push(
          or(
            gt(usageEvents.createdAt, after.createdAt),
            and(eq(usageEvents.createdAt, after.createdAt), gt(usageEvents.id, after.id)),
          ),
        );
      }
      const rows = await db
        .select({ e: usageEvents, keyName: apiKeys.name })
        .from(usageEvents)
        .leftJoin(apiKeys, eq(apiKeys.id, usageEvents.keyId))
        .where(and(...conditions))
        .orderBy(asc(usageEvents.createdAt), asc(usageEvents.id))
        .limit(BATCH);
      const last = rows.at(-1);
      if (!last) return controller.close();
      after = { createdAt: last.e.createdAt, id: last.e.id };
      const lines = rows.map(({ e, keyName }) =>
        [
          e.createdAt.toISOString(),
          e.requestId,
          e.keyId,
          keyName,
          e.modelRequested,
          e.modelServed,
          e.providerId,
          e.inputTokens,
          e.cacheReadTokens,
          e.cacheWriteTokens,
          e.outputTokens,
          nanoToUsdString(e.costNanoUsd),
          e.latencyMs,
          e.status,
          e.outcome,
          e.streamed,
        ]
          .map(csvField)
          .join(","),
      );
      controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
      if (rows.length < BATCH) controller.close();
    },
  });
}
