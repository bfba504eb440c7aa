import { type Reservation, reserveBudget } from "@/lib/budgets/reserve";
import type { ResolvedModel } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import { observeRefusal } from "@/lib/observability/observe";
import { UpstreamError } from "@/lib/providers/types";
import { classifyFailure } from "@/lib/routing/classify";
import { recordFailure, recordSuccess } from "@/lib/routing/health";
import {
  contextTooLong,
  dropEarly,
  fitsContext,
  outputAllowance,
  releaseReservation,
} from "./admission";
import type { Attempt, CallContext } from "./context";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Tries the call's models in order until one answers. A model is skipped without a call when it
 * is in cooldown, when the prompt plus the output allowance cannot fit its context window, or when
 * its worst-case cost does not fit the budget. A 429, 5xx or connection error is retried on the
 * same model (backoff with jitter, within the deadline); a timeout or context overflow moves on at
 * once; any other error is the client's answer. Every attempt reserves its own budget first, so a
 * free model never opens the way to a paid one past the cap.
 */
export async function runWithFallback<T>(
  ctx: CallContext,
  call: (attempt: Attempt) => Promise<T>,
): Promise<{ value: T; attempt: Attempt }> {
  const routing = ctx.runtime.config.routing;
  const deadline = ctx.startedAt + routing.deadlineMs;
  const ready = ctx.chain.filter((m) => !ctx.coolingDown.has(m.id));
  const candidates = ready.length > 0 ? ready : ctx.chain;
  let budgetRefusal: GatewayError | null = null;
  let tooLong = 0;
  let lastError: unknown = null;
  // The early reservation is for the first model that fits; a cooldown may have skipped it.
  if (ctx.early && !candidates.includes(ctx.early.model)) {
    dropEarly(ctx.runtime, ctx.early, ctx.log);
    ctx.early = null;
  }

  for (const model of candidates) {
    if (!fitsContext(ctx.request, model)) {
      tooLong++;
      continue;
    }
    const attempt = await prepare(ctx, model).catch((err: unknown) => {
      if (err instanceof GatewayError && err.code === "budget_exceeded") budgetRefusal ??= err;
      else throw err;
      return null;
    });
    if (!attempt) continue;

    for (let retry = 0; ; retry++) {
      ctx.attempts++;
      ctx.lastTried = model;
      ctx.current = attempt;
      try {
        const value = await call(attempt);
        if (ctx.attempts > 1) void recordSuccess(ctx.runtime.store, model.id).catch(() => {});
        return { value, attempt };
      } catch (err) {
        const action = ctx.client.aborted ? "fatal" : classifyFailure(err);
        const wait = backoff(routing, retry, err);
        if (
          action === "retry" &&
          retry < routing.retries &&
          wait !== null &&
          performance.now() + wait < deadline
        ) {
          ctx.log.info(
            { model: model.id, retry: retry + 1, waitMs: wait },
            "retrying the same model",
          );
          await sleep(wait);
          attempt.upstream = linkedController(ctx.client);
          continue;
        }
        releaseReservation(ctx.runtime, attempt.reservation, ctx.log);
        if (action === "fatal") throw err;
        lastError = err;
        ctx.fallbacks.push(model.id);
        ctx.log.warn(
          { model: model.id, err: (err as Error).message },
          "attempt failed; falling back",
        );
        void recordFailure(ctx.runtime.store, routing, model.id)
          .then((opened) => opened && ctx.log.warn({ model: model.id }, "model put in cooldown"))
          .catch(() => {});
        break;
      }
    }
    if (performance.now() >= deadline) break;
  }

  // A budget refusal is what the client can act on, even when a free model after it also failed.
  if (budgetRefusal) {
    // Counted here, not at each model's refusal: a cheaper model of the chain may still serve.
    observeRefusal(
      "budget",
      (budgetRefusal as GatewayError & { scope?: string }).scope ?? "tenant",
    );
    throw budgetRefusal;
  }
  if (lastError) throw lastError;
  if (tooLong > 0) throw contextTooLong();
  throw new GatewayError(
    "upstream_unreachable",
    "No model of this request's chain could be tried.",
  );
}

/** Reserves the model's worst-case cost and builds the request it is sent. */
async function prepare(ctx: CallContext, model: ResolvedModel): Promise<Attempt> {
  const adapter = ctx.runtime.adapters.get(model.providerId);
  if (!adapter) throw new Error(`no adapter for provider ${model.providerId}`);
  let reservation: Reservation;
  if (ctx.early?.model === model) {
    const held = await ctx.early.held;
    ctx.early = null;
    if (!held.ok) throw held.reason;
    reservation = held.reservation;
  } else {
    const allowance = outputAllowance(ctx.request, model);
    reservation = await reserveBudget(ctx.runtime, ctx.principal, ctx.request, model, allowance);
  }
  const unbounded = ctx.request.max_completion_tokens == null && ctx.request.max_tokens == null;
  // Under a cap, an unbounded answer gets the reserved allowance as its limit, so the provider
  // cannot produce more than the reservation paid for.
  const request =
    reservation.capped && unbounded
      ? { ...ctx.request, max_completion_tokens: reservation.allowance }
      : ctx.request;
  return { model, adapter, reservation, request, upstream: linkedController(ctx.client) };
}

/** Exponential backoff with jitter; a provider's short retry-after wins; a long one: no retry. */
function backoff(
  routing: CallContext["runtime"]["config"]["routing"],
  retry: number,
  err: unknown,
): number | null {
  const asked = err instanceof UpstreamError ? err.retryAfterMs : undefined;
  if (asked !== undefined) return asked <= routing.maxRetryAfterMs ? asked : null;
  return Math.round(routing.retryBaseMs * 2 ** retry * (0.5 + Math.random()));
}

/** An abort switch for one provider call that also fires when the client goes away. */
export function linkedController(client: AbortSignal): AbortController {
  const controller = new AbortController();
  if (client.aborted) controller.abort();
  else client.addEventListener("abort", () => controller.abort(), { once: true });
  return controller;
}
