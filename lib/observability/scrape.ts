import { createHash, timingSafeEqual } from "node:crypto";
import { GatewayError } from "@/lib/errors";
import { callsInFlight, isDraining } from "@/lib/lifecycle";
import { getRuntime } from "@/lib/runtime";
import { checkReadiness } from "./health";
import { metrics } from "./metrics";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * `GET /api/metrics`: this instance's metrics in Prometheus's text format, for a scraper sending
 * `Authorization: Bearer $TOLLGATE_METRICS_TOKEN`. Without the variable the endpoint is off (403
 * `metrics_disabled`): series such as spend per model are business data, never public by default.
 * The database and store gauges are checked at each scrape, so they are as fresh as the scrape.
 */
export async function scrapeMetrics(request: Request): Promise<Response> {
  requireMetricsToken(request);
  const m = metrics();
  const runtime = await getRuntime();
  await checkReadiness(runtime);
  m.usageQueue.set(runtime.usage.pending);
  m.callsInFlight.set(callsInFlight());
  m.draining.set(isDraining() ? 1 : 0);
  return new Response(await m.registry.metrics(), {
    headers: { "content-type": m.registry.contentType, "cache-control": "no-store" },
  });
}

function requireMetricsToken(request: Request): void {
  const token = process.env.TOLLGATE_METRICS_TOKEN;
  if (!token) {
    throw new GatewayError(
      "metrics_disabled",
      "Metrics are off on this instance. Set TOLLGATE_METRICS_TOKEN and scrape with 'Authorization: Bearer <token>'.",
    );
  }
  const given = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? "";
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new GatewayError(
      "invalid_metrics_token",
      "Missing or wrong metrics token. Send 'Authorization: Bearer <TOLLGATE_METRICS_TOKEN>'.",
    );
  }
}
