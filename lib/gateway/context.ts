import type { ResolvedModel } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import type { KeyPrincipal } from "@/lib/keys/verify";
import type { Logger } from "@/lib/log";
import { costNanoUsd } from "@/lib/pricing/cost";
import {
  type ChatRequest,
  type NormalizedUsage,
  type ProviderAdapter,
  UnsupportedFeatureError,
  UpstreamError,
} from "@/lib/providers/types";
import type { Runtime } from "@/lib/runtime";

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
}

export const ZERO_USAGE: NormalizedUsage = {
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
};

export type CallOutcome = "ok" | "error" | "client_disconnected" | "incomplete";

/**
 * Records the call's usage event (queued, no database round trip) and logs the request's one
 * summary line. Called exactly once per call that reached a provider.
 */
export function settleCall(
  ctx: CallContext,
  result: {
    usage: NormalizedUsage;
    status: number;
    outcome: CallOutcome;
    estimated: boolean;
    streamed: boolean;
  },
): number {
  const cost = costNanoUsd(result.usage, ctx.model.price);
  const latencyMs = Math.round(performance.now() - ctx.startedAt);
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
  ctx.log.info(
    {
      tenantId: ctx.principal.tenantId,
      keyId: ctx.principal.keyId,
      modelRequested: ctx.request.model,
      modelServed: ctx.model.id,
      provider: ctx.model.providerId,
      attempts: 1,
      ...result.usage,
      costNanoUsd: cost,
      latencyMs,
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
