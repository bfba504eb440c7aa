import { monthOf, now } from "@/lib/clock";
import type { ResolvedModel } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import type { KeyPrincipal } from "@/lib/keys/verify";
import { formatUsd } from "@/lib/pricing/units";
import type { ChatRequest } from "@/lib/providers/types";
import type { Runtime } from "@/lib/runtime";
import { withStore } from "@/lib/store";
import { runScript } from "@/lib/store/run-script";
import { budgetPeriod } from "@/lib/usage/summary";
import { promptTokenBound, worstCaseCost } from "./cost-bound";
import { type Counter, countersFor } from "./counters";
import { rebuildCounter } from "./rebuild";
import { reserveScript } from "./scripts";

/** The fewest output tokens worth calling for when Tollgate lowers max_tokens to fit the budget. */
const MIN_OUTPUT_TOKENS = 16;

/** Money held for one call until it settles. */
export interface Reservation {
  counters: Counter[];
  /** Each counter's epoch when reserved: settlement knows whether a rebuild happened since. */
  epochs: string[];
  reservedNanoUsd: number;
  /** The output allowance the reservation pays for; lower than asked when the budget was short. */
  allowance: number;
  /** True when Tollgate lowered the allowance to what the budget could pay for. */
  lowered: boolean;
  /** True when a cap applies: the allowance is then sent upstream so the reservation bounds the cost. */
  capped: boolean;
}

/**
 * Reserves the call's worst-case cost on the tenant's (and the key's and end user's) monthly
 * counters, atomically with the check: however many calls arrive at once, the sum reserved never
 * passes a cap. A free model reserves nothing and is served past the cap. Throws 402
 * `budget_exceeded` when the cap cannot pay even for a short answer.
 */
export async function reserveBudget(
  runtime: Runtime,
  principal: KeyPrincipal,
  request: ChatRequest,
  model: ResolvedModel,
  allowance: number,
): Promise<Reservation> {
  const at = now();
  const tier = runtime.config.tiers.get(principal.tier);
  const counters = countersFor(runtime.store, principal, tier, monthOf(at), request.user ?? null);
  const caps = counters.map((c) => String(c.capNanoUsd ?? -1));
  const prompt = promptTokenBound(request);
  const full = worstCaseCost(model.price, prompt, allowance);
  // Only an answer the client left unbounded may be shortened to fit; a set limit is kept.
  const canLower = request.max_completion_tokens == null && request.max_tokens == null;
  const floor = canLower && full > 0 ? worstCaseCost(model.price, prompt, MIN_OUTPUT_TOKENS) : 0;

  return withStore(runtime.store, async (redis) => {
    const keys = counters.map((c) => c.key);
    for (let attempt = 0; ; attempt++) {
      const result = await runScript<Array<number | string>>(redis, reserveScript, keys, [
        String(full),
        String(floor),
        ...caps,
      ]);
      if (result[0] === -1 && attempt < counters.length) {
        const missing = counters[Number(result[1])] as Counter;
        await rebuildCounter(runtime, redis, principal, missing, request.user ?? null, at);
        continue;
      }
      if (result[0] !== 1) {
        const [, , index, cap, charged] = result.map(Number);
        throw budgetExceeded(
          counters[index as number] as Counter,
          cap as number,
          charged as number,
          full,
          at,
        );
      }
      const granted = Number(result[1]);
      const lowered = granted < full;
      return {
        counters,
        capped: result[2] === 1,
        epochs: result.slice(3).map(String),
        reservedNanoUsd: granted,
        allowance: lowered ? affordableOutput(model, prompt, granted) : allowance,
        lowered,
      };
    }
  });
}

/** Output tokens that `budget` nano-dollars pay for after the prompt's worst case. */
function affordableOutput(model: ResolvedModel, prompt: number, budget: number): number {
  const input = Math.max(model.price.inputNanoUsdPerMTok, model.price.cacheWriteNanoUsdPerMTok);
  const left = budget * 1_000_000 - prompt * input;
  return Math.max(MIN_OUTPUT_TOKENS, Math.floor(left / model.price.outputNanoUsdPerMTok));
}

function budgetExceeded(
  counter: Counter,
  cap: number,
  charged: number,
  needed: number,
  at: number,
): GatewayError {
  const reset = budgetPeriod(new Date(at)).end.toISOString().slice(0, 10);
  const whose = { tenant: "Your workspace's", key: "This API key's", user: "This end user's" }[
    counter.scope
  ];
  const spent = Math.min(charged, cap);
  const error = new GatewayError(
    "budget_exceeded",
    `${whose} monthly budget of ${formatUsd(cap)} is used up: ${formatUsd(spent)} spent or reserved this month, and this request may cost up to ${formatUsd(needed)}. The budget resets on ${reset} (UTC). Upgrade the tier at /dashboard/billing, ask for a higher cap, or use a cheaper model.`,
  );
  error.headers = { "x-should-retry": "false" };
  // Which counter refused, for the refusal metric once the whole chain has been tried.
  return Object.assign(error, { scope: counter.scope });
}
