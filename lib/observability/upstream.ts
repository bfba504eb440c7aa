import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { metrics } from "./metrics";

/** One call to a provider, as the gateway is about to make it. */
export interface UpstreamCall {
  /** The provider's id in the config. */
  providerId: string;
  /** The adapter kind: openai | anthropic | ollama | demo. */
  providerKind: string;
  /** The provider's base URL, for `server.address` / `server.port`. */
  baseURL?: string;
  /** Tollgate's model id (what clients send) and the provider's name for it. */
  modelId: string;
  upstreamModel: string;
  /** 1 for the first model tried, 2 for the first fallback, … */
  attempt?: number;
  streamed: boolean;
  requestId?: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
}

/** How the provider call ended. Token counts are the provider's (or Tollgate's count). */
export interface UpstreamResult {
  outcome: "ok" | "error" | "client_disconnected" | "incomplete";
  /** The provider's HTTP status; 0 when it could not be reached. */
  status: number;
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  /** The whole prompt: uncached, cache-read and cache-write tokens together. */
  inputTokens?: number;
  outputTokens?: number;
  /** A short error class for `error.type`, e.g. "upstream_timeout" or "rate_limit_exceeded". */
  errorType?: string;
}

export interface UpstreamSpan {
  /** Marks the first chunk received from the provider (streams) with a span event. */
  firstChunk(): void;
  /** Ends the span and counts the attempt; only the first call counts. Returns its milliseconds. */
  end(result: UpstreamResult): number;
}

// OpenTelemetry's GenAI semantic conventions name the provider with a well-known value where one
// exists; the others get a name of their own.
const PROVIDER_NAMES: Record<string, string> = {
  openai: "openai",
  anthropic: "anthropic",
  ollama: "ollama",
  demo: "tollgate.demo",
};

/**
 * Opens the CLIENT span of one provider call (`chat <upstream model>`, GenAI semantic-convention
 * attributes, never message content) as a child of the active span, and times the attempt for
 * `tollgate_upstream_requests_total` and `tollgate_upstream_duration_seconds`. Tracing off: the
 * span is a no-op and only the metrics are kept.
 */
export function startUpstreamSpan(call: UpstreamCall): UpstreamSpan {
  return openSpan(call).handle;
}

function openSpan(call: UpstreamCall): { handle: UpstreamSpan; span: Span } {
  const startedAt = performance.now();
  const span = trace.getTracer("tollgate").startSpan(`chat ${call.upstreamModel}`, {
    kind: SpanKind.CLIENT,
    attributes: requestAttributes(call),
  });
  let endedMs: number | null = null;
  const handle: UpstreamSpan = {
    firstChunk() {
      if (endedMs === null) span.addEvent("gen_ai.first_chunk");
    },
    end(result) {
      if (endedMs !== null) return endedMs;
      endedMs = Math.round(performance.now() - startedAt);
      span.setAttributes(responseAttributes(result));
      if (result.outcome === "error" || result.outcome === "incomplete") {
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.errorType });
      }
      span.end();
      const m = metrics();
      const labels = { provider: call.providerId, model: call.modelId, outcome: result.outcome };
      m.upstreamRequests.inc({ ...labels, status: String(result.status) });
      m.upstreamSeconds.observe(labels, endedMs / 1000);
      return endedMs;
    },
  };
  return { handle, span };
}

/**
 * Runs one non-streamed provider call inside its upstream span: ended as ok (status 200) when `fn`
 * resolves, as an error with the thrown error's `status` and `code` when it throws, unless `fn`
 * ended the span itself (to add the response's model and tokens).
 */
export async function withUpstreamSpan<T>(
  call: UpstreamCall,
  fn: (span: UpstreamSpan) => Promise<T>,
): Promise<T> {
  const { handle: upstream, span } = openSpan(call);
  try {
    const value = await context.with(trace.setSpan(context.active(), span), () => fn(upstream));
    upstream.end({ outcome: "ok", status: 200 });
    return value;
  } catch (err) {
    upstream.end({ outcome: "error", status: statusOf(err), errorType: codeOf(err) });
    throw err;
  }
}

function requestAttributes(call: UpstreamCall): Attributes {
  const provider = PROVIDER_NAMES[call.providerKind] ?? call.providerKind;
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": provider,
    // The older name of the same attribute, still the one many tracing backends read.
    "gen_ai.system": provider,
    "gen_ai.request.model": call.upstreamModel,
    "gen_ai.request.max_tokens": call.maxTokens,
    "gen_ai.request.temperature": call.temperature,
    "gen_ai.request.top_p": call.topP,
    "tollgate.provider.id": call.providerId,
    "tollgate.model.id": call.modelId,
    "tollgate.attempt": call.attempt ?? 1,
    "tollgate.streamed": call.streamed,
    "tollgate.request_id": call.requestId,
  };
  if (call.baseURL) {
    try {
      const url = new URL(call.baseURL);
      attributes["server.address"] = url.hostname;
      attributes["server.port"] = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    } catch {
      // A provider without a URL (the demo) has no server to name.
    }
  }
  return attributes;
}

function responseAttributes(result: UpstreamResult): Attributes {
  return {
    "gen_ai.response.model": result.responseModel,
    "gen_ai.response.id": result.responseId,
    "gen_ai.response.finish_reasons": result.finishReasons,
    "gen_ai.usage.input_tokens": result.inputTokens,
    "gen_ai.usage.output_tokens": result.outputTokens,
    "http.response.status_code": result.status || undefined,
    "error.type": result.errorType,
    "tollgate.outcome": result.outcome,
  };
}

function statusOf(err: unknown): number {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : 0;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return err instanceof Error ? err.name : "error";
}
