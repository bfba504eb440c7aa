/**
 * A provider's `retry-after-ms` or `retry-after` (seconds, or an HTTP date) in milliseconds, from
 * the headers the SDKs keep on their errors; undefined when absent or unreadable.
 */
export function retryAfterMs(headers: unknown): number | undefined {
  if (!headers || typeof (headers as Headers).get !== "function") return undefined;
  const h = headers as Headers;
  const ms = Number(h.get("retry-after-ms"));
  if (h.get("retry-after-ms") !== null && Number.isFinite(ms)) return Math.max(0, ms);
  const value = h.get("retry-after");
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
