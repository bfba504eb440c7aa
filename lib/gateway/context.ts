import type { ResolvedModel } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import type { KeyPrincipal } from "@/lib/keys/verify";
import type { Admission } from "@/lib/limits/ratelimit";
import type { Logger } from "@/lib/log";
import { observeCall } from "@/lib/observability/observe";
import { costNanoUsd } from "@/lib/pricing/cost";
import {
  type ChatRequest,
  type NormalizedUsage,
  type ProviderAdapter,
  UnsupportedFeatureError,
  UpstreamError,
} from "@/lib/providers/types";
import type { Runtime } from "@/lib/runtime";
import { settleAdmission } from "./admission";

/** One chat completion call as it moves through the gateway. */
export interface CallContext {
  requestId: string;
  /** performance.now() at arrival. */
  startedAt: number;
  log: Logger;
  runtime: Runtime;
  principal: KeyPrincipal;
  request: ChatRequest;
  model: ResolvedModel;
  adapter: ProviderAdapter;
  /** Aborts the upstream call: when the client goes away, or on a timeout. */
  upstream: AbortController;
  /** Fires when the client goes away. */
  client: AbortSignal;
  /** Marks the call finished for graceful shutdown. */
  release: () => void;
  /** What the rate limits counted for this call, corrected at settlement. */
  admission: Admission;
}

export const ZERO_USAGE: NormalizedUsage = {
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
};

export type CallOutcome = "ok" | "error" | "client_disconnected" | "incomplete";

/**
 * Records the call's usage event (queued, no database round trip), counts it in the metrics and
 * logs the request's one summary line. Called exactly once per call that reached a provider.
 * `attempts` (provider calls made, 1 by default) and `fallbacks` (models tried after the first, 0
 * by default) come from the fallback loop; `firstTokenMs` (arrival to the first chunk sent) from a
 * stream that sent one.
 */
export function settleCall(
  ctx: CallContext,
  result: {
    usage: NormalizedUsage;
    status: number;
    outcome: CallOutcome;
    estimated: boolean;
    streamed: boolean;
    attempts?: number;
    fallbacks?: number;
    firstTokenMs?: number;
  },
): number {
  const cost = costNanoUsd(result.usage, ctx.model.price);
  settleAdmission(ctx.runtime, ctx.admission, result.usage, ctx.log);
  const latencyMs = Math.round(performance.now() - ctx.startedAt);
  const attempts = result.attempts ?? 1;
  const fallbacks = result.fallbacks ?? 0;
  ctx.runtime.usage.record({
    requestId: ctx.requestId,
    tenantId: ctx.principal.tenantId,
    keyId: ctx.principal.keyId,
    modelRequested: ctx.request.model,
    modelServed: ctx.model.id,
    providerId: ctx.model.providerId,
    ...result.usage,
    costNanoUsd: cost,
    latencyMs,
    status: result.status,
    outcome: result.outcome,
    streamed: result.streamed,
    estimated: result.estimated,
    createdAt: new Date(),
  });
  observeCall({
    tier: ctx.principal.tier,
    modelRequested: ctx.request.model,
    modelServed: ctx.model.id,
    provider: ctx.model.providerId,
    outcome: result.outcome,
    status: result.status,
    latencyMs,
    ttftMs: result.firstTokenMs,
    ...result.usage,
    costNanoUsd: cost,
    fallbacks,
  });
  ctx.log.info(
    {
      tenantId: ctx.principal.tenantId,
      keyId: ctx.principal.keyId,
      tier: ctx.principal.tier,
      modelRequested: ctx.request.model,
      modelServed: ctx.model.id,
      provider: ctx.model.providerId,
      attempts,
      fallbacks,
      ...result.usage,
      costNanoUsd: cost,
      latencyMs,
      firstTokenMs: result.firstTokenMs,
      status: result.status,
      outcome: result.outcome,
      streamed: result.streamed,
      estimated: result.estimated,
    },
    "chat completion",
  );
  return cost;
}

/** Turns what a provider adapter threw into the gateway's error, keeping the provider's words. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof UnsupportedFeatureError) {
    return new GatewayError("unsupported_parameter", err.message, { param: err.param });
  }
  if (err instanceof UpstreamError) {
    const code =
      err.code === "upstream_timeout" || err.code === "upstream_unreachable"
        ? err.code
        : "upstream_error";
    return new GatewayError(code, err.message, {
      status: err.status,
      type: err.type,
      param: err.param,
      upstreamCode: err.code,
    });
  }
  return new GatewayError("internal_error", "The gateway failed to handle this request.");
}
