import { alertOnThresholds } from "@/lib/alerts/thresholds";
import { promptTokenBound } from "@/lib/budgets/cost-bound";
import { type Reservation, reserveBudget } from "@/lib/budgets/reserve";
import { settleBudgetLater } from "@/lib/budgets/settle";
import type { ResolvedModel } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import type { KeyPrincipal } from "@/lib/keys/verify";
import { trackCall } from "@/lib/lifecycle";
import { type Admission, admit, settleTokens } from "@/lib/limits/ratelimit";
import type { Logger } from "@/lib/log";
import type { ChatRequest, NormalizedUsage } from "@/lib/providers/types";
import type { Runtime } from "@/lib/runtime";
import { estimatePromptTokens } from "@/lib/tokens/count";

/** The most output tokens a call may produce: what the request allows, else the model's maximum. */
export function outputAllowance(request: ChatRequest, model: ResolvedModel): number {
  return request.max_completion_tokens ?? request.max_tokens ?? model.maxOutputTokens;
}

/** The answer when no model a call may use has room for its prompt and output allowance. */
export function contextTooLong(): GatewayError {
  return new GatewayError(
    "context_length_exceeded",
    "The prompt plus the requested output does not fit the context window of any model this request may use. Shorten the messages or lower max_tokens.",
    { param: "messages" },
  );
}

/** Whether the prompt (an upper bound) plus the output allowance fits the model's window. */
export function fitsContext(request: ChatRequest, model: ResolvedModel): boolean {
  if (model.contextWindow === null) return true;
  return promptTokenBound(request) + outputAllowance(request, model) <= model.contextWindow;
}

/**
 * The first model's budget reservation, sent with the admission instead of after it: the two
 * leave in the same write to Redis, one round trip instead of two in a row. It is a guess: when
 * the call is refused, re-admitted or skips that model, the hold is given back (settlement
 * applies it to nothing); until then it holds money early, which errs on the cap's side.
 */
export interface EarlyReservation {
  model: ResolvedModel;
  held: Promise<{ ok: true; reservation: Reservation } | { ok: false; reason: unknown }>;
}

export function reserveEarly(
  runtime: Runtime,
  principal: KeyPrincipal,
  request: ChatRequest,
  chain: ResolvedModel[],
): EarlyReservation | null {
  const model = chain.find((m) => fitsContext(request, m));
  if (!model) return null;
  const held = reserveBudget(runtime, principal, request, model, outputAllowance(request, model))
    .then((reservation) => ({ ok: true as const, reservation }))
    .catch((reason: unknown) => ({ ok: false as const, reason }));
  return { model, held };
}

/** Gives an early reservation back when the call will not use it. */
export function dropEarly(runtime: Runtime, early: EarlyReservation | null, log: Logger): void {
  if (!early) return;
  const done = trackCall();
  void early.held
    .then((held) => held.ok && releaseReservation(runtime, held.reservation, log))
    .finally(done);
}

/**
 * The key's and tenant's rate limits, once per call whatever the number of attempts: the request
 * and its estimated tokens (prompt by tokenizer plus the asked model's output allowance).
 */
export async function admitLimits(
  runtime: Runtime,
  principal: KeyPrincipal,
  request: ChatRequest,
  model: ResolvedModel,
): Promise<Admission> {
  const tier = runtime.config.tiers.get(principal.tier);
  if (!tier)
    throw new GatewayError("model_not_allowed", `The tier '${principal.tier}' is not configured.`);
  const estimated = estimatePromptTokens(request) + outputAllowance(request, model);
  return admit(runtime.store, principal, tier, estimated);
}

/** Tokens a call really used, as the token limits count them: every prompt and output token. */
export function usedTokens(usage: NormalizedUsage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
}

/**
 * Settles a call off the request's path: token counters from the estimate to the real count,
 * the budget reservation to the real cost (then alerts, if a threshold was crossed). Failures are
 * logged and leave the estimate and reservation counted: the safe side. A shutdown waits for it.
 */
export function settleAdmission(
  runtime: Runtime,
  principal: KeyPrincipal,
  limits: Admission,
  reservation: Reservation,
  usage: NormalizedUsage,
  costNanoUsd: number,
  log: Logger,
): void {
  const done = trackCall();
  const tokens = settleTokens(runtime.store, limits, usedTokens(usage)).catch((err: unknown) =>
    log.warn({ err }, "token counter correction failed"),
  );
  const budget = settleBudgetLater(runtime, reservation, costNanoUsd, log, (spend) =>
    alertOnThresholds(runtime, principal, spend, log),
  );
  void Promise.all([tokens, budget]).finally(done);
}

/** Gives a failed attempt's budget hold back, off the request's path. */
export function releaseReservation(runtime: Runtime, reservation: Reservation, log: Logger): void {
  const done = trackCall();
  void settleBudgetLater(runtime, reservation, 0, log).finally(done);
}
