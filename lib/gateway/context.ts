import type { Reservation } from "@/lib/budgets/reserve";
import { now } from "@/lib/clock";
import type { ResolvedModel } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import type { KeyPrincipal } from "@/lib/keys/verify";
import type { Admission } from "@/lib/limits/ratelimit";
import type { Logger } from "@/lib/log";
import { observeCall } from "@/lib/observability/observe";
import type { UpstreamCall } from "@/lib/observability/upstream";
import { costNanoUsd } from "@/lib/pricing/cost";
import {
  type ChatRequest,
  type NormalizedUsage,
  type ProviderAdapter,
  UnsupportedFeatureError,
  UpstreamError,
} from "@/lib/providers/types";
import type { Runtime } from "@/lib/runtime";
import { type EarlyReservation, settleAdmission } from "./admission";

/** One chat completion call as it moves through the gateway. */
export interface CallContext {
  requestId: string;
  /** performance.now() at arrival. */
  startedAt: number;
  log: Logger;
  runtime: Runtime;
  principal: KeyPrincipal;
  /** The request as the client sent it. */
  request: ChatRequest;
  /** The models that may answer, in order: the one asked for, then its fallbacks. */
  chain: ResolvedModel[];
  /** Models in cooldown when the call arrived: skipped. */
  coolingDown: Set<string>;
  /** What the rate limits counted, corrected at settlement. */
  limits: Admission;
  /** Fires when the client goes away. */
  client: AbortSignal;
  /** Marks the call finished for graceful shutdown. */
  release: () => void;
  /** Provider calls made so far, retries included. */
  attempts: number;
  /** Models given up on before the one that answers. */
  fallbacks: string[];
  /** The model of the latest provider call, for the record of a call that failed. */
  lastTried?: ResolvedModel;
  /** The attempt under way: what a shutdown at its deadline aborts. */
  current?: Attempt;
  /** The first model's reservation, made with the admission; null once used or given back. */
  early: EarlyReservation | null;
}

/** One model's try at answering: its budget hold and its own abort switch. */
export interface Attempt {
  model: ResolvedModel;
  adapter: ProviderAdapter;
  reservation: Reservation;
  /** The request as sent upstream (a budget-bounded max_completion_tokens under a cap). */
  request: ChatRequest;
  /** Aborts this attempt's provider call: the client went away, or a timeout. */
  upstream: AbortController;
}

export const ZERO_USAGE: NormalizedUsage = {
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
};

export type CallOutcome = "ok" | "error" | "client_disconnected" | "incomplete";

/**
 * Ends a call that reached a provider: queues its usage event (no database round trip), settles
 * the rate-limit tokens and the budget reservation off the request's path, counts it in the
 * metrics and logs the request's one summary line. Called exactly once per such call.
 */
export function settleCall(
  ctx: CallContext,
  attempt: Attempt,
  result: {
    usage: NormalizedUsage;
    status: number;
    outcome: CallOutcome;
    estimated: boolean;
    streamed: boolean;
    firstTokenMs?: number;
  },
): number {
  const { model } = attempt;
  const cost = costNanoUsd(result.usage, model.price);
  settleAdmission(
    ctx.runtime,
    ctx.principal,
    ctx.limits,
    attempt.reservation,
    result.usage,
    cost,
    ctx.log,
  );
  const latencyMs = Math.round(performance.now() - ctx.startedAt);
  const summary = {
    tenantId: ctx.principal.tenantId,
    keyId: ctx.principal.keyId,
    modelRequested: ctx.request.model,
    modelServed: model.id,
    providerId: model.providerId,
    ...result.usage,
    costNanoUsd: cost,
    latencyMs,
    status: result.status,
    outcome: result.outcome,
    streamed: result.streamed,
    estimated: result.estimated,
  };
  ctx.runtime.usage.record({
    ...summary,
    requestId: ctx.requestId,
    endUser: ctx.request.user ?? null,
    createdAt: new Date(now()),
  });
  observeCall({
    tier: ctx.principal.tier,
    modelRequested: ctx.request.model,
    modelServed: model.id,
    provider: model.providerId,
    outcome: result.outcome,
    status: result.status,
    latencyMs,
    ttftMs: result.firstTokenMs,
    ...result.usage,
    costNanoUsd: cost,
    fallbacks: ctx.fallbacks.length,
  });
  ctx.log.info(
    {
      ...summary,
      tier: ctx.principal.tier,
      attempts: ctx.attempts,
      fallbacks: ctx.fallbacks,
      firstTokenMs: result.firstTokenMs,
    },
    "chat completion",
  );
  return cost;
}

/**
 * Records a call whose provider calls all failed: a usage event with no tokens and no cost (the
 * reservations were released), so the ledger and the dashboard show the failure.
 */
export function recordFailedCall(ctx: CallContext, status: number): void {
  const model = ctx.lastTried;
  if (!model) return;
  const latencyMs = Math.round(performance.now() - ctx.startedAt);
  const event = {
    tenantId: ctx.principal.tenantId,
    keyId: ctx.principal.keyId,
    modelRequested: ctx.request.model,
    modelServed: model.id,
    providerId: model.providerId,
    ...ZERO_USAGE,
    costNanoUsd: 0,
    latencyMs,
    status,
    outcome: "error",
    streamed: Boolean(ctx.request.stream),
    estimated: false,
  };
  ctx.runtime.usage.record({
    ...event,
    requestId: ctx.requestId,
    endUser: ctx.request.user ?? null,
    createdAt: new Date(now()),
  });
  observeCall({
    tier: ctx.principal.tier,
    modelRequested: ctx.request.model,
    modelServed: model.id,
    provider: model.providerId,
    outcome: "error",
    status,
    latencyMs,
    ...ZERO_USAGE,
    costNanoUsd: 0,
    fallbacks: ctx.fallbacks.length,
  });
  ctx.log.info(
    { ...event, tier: ctx.principal.tier, attempts: ctx.attempts, fallbacks: ctx.fallbacks },
    "chat completion",
  );
}

/** How an attempt's provider call is described to its trace span and metrics. */
export function upstreamCall(ctx: CallContext, attempt: Attempt, streamed: boolean): UpstreamCall {
  const provider = ctx.runtime.config.providers.get(attempt.model.providerId);
  return {
    providerId: attempt.model.providerId,
    providerKind: provider?.type ?? "openai",
    baseURL: provider?.baseURL,
    modelId: attempt.model.id,
    upstreamModel: attempt.model.upstreamModel,
    attempt: ctx.attempts,
    streamed,
    requestId: ctx.requestId,
    maxTokens: attempt.request.max_completion_tokens ?? attempt.request.max_tokens ?? undefined,
    temperature: attempt.request.temperature ?? undefined,
  };
}

/** Headers that say which model answered and how it was reached. */
export function routingHeaders(ctx: CallContext, attempt: Attempt): Record<string, string> {
  const headers: Record<string, string> = {
    "x-tollgate-model": attempt.model.id,
    "x-tollgate-attempts": String(ctx.attempts),
  };
  if (ctx.fallbacks.length > 0) headers["x-tollgate-fallbacks"] = ctx.fallbacks.join(",");
  // Models ahead of the one that answered, passed over without a call while in cooldown.
  const served = ctx.chain.indexOf(attempt.model);
  const skipped = ctx.chain
    .slice(0, Math.max(served, 0))
    .filter((m) => ctx.coolingDown.has(m.id) && !ctx.fallbacks.includes(m.id));
  if (skipped.length > 0) headers["x-tollgate-cooldown"] = skipped.map((m) => m.id).join(",");
  if (attempt.reservation.lowered)
    headers["x-tollgate-max-tokens"] = String(attempt.reservation.allowance);
  return headers;
}

/** Turns what a provider adapter threw into the gateway's error, keeping the provider's words. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  if (err instanceof UnsupportedFeatureError) {
    return new GatewayError("unsupported_parameter", err.message, { param: err.param });
  }
  if (err instanceof UpstreamError && (err.status === 401 || err.status === 403)) {
    // The provider refused Tollgate's own credentials: a 401 would tell the client its Tollgate
    // key is wrong, so it is a bad gateway, for the operator to fix.
    return new GatewayError(
      "upstream_error",
      `${err.message} (the provider refused the gateway's credentials; the operator must check its API key)`,
      {
        status: 502,
        type: "api_error",
        upstreamCode: "upstream_unauthorized",
      },
    );
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
