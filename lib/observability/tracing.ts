import type { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { logger } from "@/lib/log";

// One tracer provider per process, whichever bundle started it.
const slot = globalThis as unknown as { __tollgateTracing?: NodeTracerProvider };

/**
 * Whether traces are exported: only when an OTLP endpoint is configured (the standard
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), and not disabled
 * with `OTEL_SDK_DISABLED=true`.
 */
export function tracingEnabled(env: Record<string, string | undefined> = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === "true") return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts exporting traces over OTLP/HTTP (JSON) when tracingEnabled(); otherwise does nothing, and
 * every span Tollgate or Next.js opens stays a no-op. The exporter reads the standard OTEL_*
 * variables itself (endpoint, headers, timeout); the service is named by `OTEL_SERVICE_NAME`,
 * "tollgate" by default. Registering the provider globally is what lets Next.js's own request
 * spans become the parents of Tollgate's.
 */
export async function startTracing(): Promise<boolean> {
  if (slot.__tollgateTracing) return true;
  if (!tracingEnabled()) return false;
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, resources, names] =
    await Promise.all([
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/semantic-conventions"),
    ]);
  const serviceName = process.env.OTEL_SERVICE_NAME ?? "tollgate";
  const resource = resources.defaultResource().merge(
    resources.resourceFromAttributes({
      [names.ATTR_SERVICE_NAME]: serviceName,
      [names.ATTR_SERVICE_VERSION]: process.env.npm_package_version ?? "0.1.0",
    }),
  );
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  slot.__tollgateTracing = provider;
  // The endpoint is not logged: collector URLs sometimes carry credentials.
  logger.info({ serviceName }, "exporting traces over OTLP");
  return true;
}

/** Exports the spans still buffered and stops the exporter; called last on shutdown. */
export async function stopTracing(): Promise<void> {
  const provider = slot.__tollgateTracing;
  if (!provider) return;
  slot.__tollgateTracing = undefined;
  try {
    await provider.shutdown();
  } catch (err) {
    logger.warn({ err }, "trace export on shutdown failed");
  }
}
