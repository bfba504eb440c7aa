import { errorResponse, GatewayError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { scrapeMetrics } from "@/lib/observability/scrape";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint; answers during a shutdown drain too, so the drain can be watched. */
export async function GET(request: Request): Promise<Response> {
  try {
    return await scrapeMetrics(request);
  } catch (err) {
    if (!(err instanceof GatewayError)) logger.error({ err }, "metrics scrape failed");
    return errorResponse(err);
  }
}
