import { SpanStatusCode, trace } from "@opentelemetry/api";
import { metrics } from "./metrics";

/** What one settled chat call contributes to the metrics. */
export interface CallObservation {
  tier: string;
  /** The model the client asked for (a config id: it resolved before any provider call). */
  modelRequested: string;
  /** The model that answered (the last attempt's). */
  modelServed: string;
  provider: string;
  /** ok | error | client_disconnected | incomplete */
  outcome: string;
  status: number;
  latencyMs: number;
  /** Arrival to the first chunk sent to the client; streamed calls that sent one only. */
  ttftMs?: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  costNanoUsd: number;
  /** How many models of the fallback chain were tried after the first. */
  fallbacks: number;
}

/** Counts one chat call that reached a provider: requests, latency, tokens, spend, fallbacks. */
export function observeCall(call: CallObservation): void {
  const m = metrics();
  const labels = {
    tier: call.tier,
    model: call.modelServed,
    provider: call.provider,
    outcome: call.outcome,
  };
  m.requests.inc(labels);
  m.requestSeconds.observe(labels, call.latencyMs / 1000);
  if (call.ttftMs !== undefined) {
    m.timeToFirstTokenSeconds.observe(
      { tier: call.tier, model: call.modelServed, provider: call.provider },
      call.ttftMs / 1000,
    );
  }
  if (call.fallbacks > 0) {
    m.fallbacks.inc(
      { tier: call.tier, model_requested: call.modelRequested, model_served: call.modelServed },
      call.fallbacks,
    );
  }
  const byModel = { tier: call.tier, model: call.modelServed };
  if (call.costNanoUsd > 0) m.spendNanoUsd.inc(byModel, call.costNanoUsd);
  const tokens: Array<[string, number]> = [
    ["input", call.inputTokens],
    ["cache_read", call.cacheReadTokens],
    ["cache_write", call.cacheWriteTokens],
    ["output", call.outputTokens],
  ];
  for (const [kind, count] of tokens) if (count > 0) m.tokens.inc({ ...byModel, kind }, count);
}

/**
 * Counts a request refused by a rate limit or a budget. `scope` names what refused it, from a
 * small fixed set such as "key", "tenant" or "tier" (never an id: labels must stay bounded).
 */
export function observeRefusal(kind: "rate_limit" | "budget", scope: string): void {
  metrics().refusals.inc({ kind, scope });
}

/** Counts a chat request refused before any provider call, by its error code. */
export function observeRejection(code: string): void {
  metrics().rejections.inc({ code });
}

/**
 * Times one step of a request (`authenticate`, `rate_limit`, `budget`, `route`, …) as a histogram
 * and, when tracing is on, as a child span `tollgate.<step>`; returns what `fn` returns.
 */
export async function withStep<T>(step: string, fn: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  return trace.getTracer("tollgate").startActiveSpan(`tollgate.${step}`, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
      metrics().stepSeconds.observe({ step }, (performance.now() - startedAt) / 1000);
    }
  });
}
