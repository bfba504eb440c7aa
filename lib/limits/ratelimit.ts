import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import { GatewayError } from "@/lib/errors";
import type { KeyPrincipal } from "@/lib/keys/verify";
import { observeRefusal } from "@/lib/observability/observe";
import { type Store, withStore } from "@/lib/store";
import { formatDuration, type LimitState, rateLimitHeaders } from "./headers";
import { countTokens, type TokenCounter } from "./token-window";

/**
 * Limits are per minute; the sliding window weighs the previous minute by its overlap. The
 * variable exists so tests can watch a window pass in seconds; production leaves it unset.
 */
const WINDOW_MS = Number(process.env.TOLLGATE_LIMIT_WINDOW_MS ?? 60_000);

export interface TierLimits {
  requestsPerMinute: number;
  tokensPerMinute: number;
}

/** What admission counted, to correct the token estimate once the real usage is known. */
export interface Admission {
  headers: Record<string, string>;
  tokenCounters: TokenCounter[];
  estimatedTokens: number;
}

// One Ratelimit per (store client, limit): @upstash/ratelimit fixes the limit per instance.
const limiters = new WeakMap<Redis, Map<number, Ratelimit>>();
function requestLimiter(redis: Redis, prefix: string, limit: number): Ratelimit {
  let byLimit = limiters.get(redis);
  if (!byLimit) {
    byLimit = new Map();
    limiters.set(redis, byLimit);
  }
  let rl = byLimit.get(limit);
  if (!rl) {
    // No ephemeral cache (it would keep refusing locally after a refund), no analytics, and no
    // timeout that silently admits: the outage policy decides what an unreachable store means.
    rl = new Ratelimit({
      redis,
      prefix: `${prefix}:rl`,
      limiter: Ratelimit.slidingWindow(limit, `${WINDOW_MS} ms`),
      ephemeralCache: false,
      analytics: false,
      timeout: 0,
    });
    byLimit.set(limit, rl);
  }
  return rl;
}

interface Plan {
  requests: Array<{ scope: LimitState["scope"]; identifier: string; limit: number }>;
  tokens: Array<TokenCounter & { scope: LimitState["scope"] }>;
}

/** Store identifiers carry the tenant (and key) id, so tenants never share a counter. */
function plan(principal: KeyPrincipal, tier: TierLimits): Plan {
  const t = `t:${principal.tenantId}`;
  const k = `${t}:k:${principal.keyId}`;
  return {
    requests: [
      {
        scope: "key",
        identifier: `${k}:rpm`,
        limit: principal.keyRequestsPerMinute ?? tier.requestsPerMinute,
      },
      { scope: "tenant", identifier: `${t}:rpm`, limit: tier.requestsPerMinute },
    ],
    tokens: [
      {
        scope: "key",
        identifier: `${k}:tpm`,
        limit: principal.keyTokensPerMinute ?? tier.tokensPerMinute,
      },
      { scope: "tenant", identifier: `${t}:tpm`, limit: tier.tokensPerMinute },
    ],
  };
}

const n = (value: number) => value.toLocaleString("en-US");

/**
 * Admits a request against the key's and the tenant's requests and tokens per minute, counting it
 * everywhere or nowhere. The three store calls leave together (pipelined: one round trip); if
 * one refuses, what the others counted is given back. Tokens are counted with the estimate and
 * corrected by `settleTokens`. Throws 429 `rate_limit_exceeded` naming the limit and its reset.
 */
export async function admit(
  store: Store,
  principal: KeyPrincipal,
  tier: TierLimits,
  estimatedTokens: number,
): Promise<Admission> {
  const { requests, tokens } = plan(principal, tier);
  const tooBig = tokens.find((c) => estimatedTokens > c.limit);
  if (tooBig) {
    observeRefusal("rate_limit", `${tooBig.scope}_tokens`);
    const whose =
      tooBig.scope === "key" && principal.keyTokensPerMinute !== null ? "key's" : "tier's";
    const error = new GatewayError(
      "rate_limit_exceeded",
      `This request needs about ${n(estimatedTokens)} tokens (prompt plus output allowance), more than the ${whose} limit of ${n(tooBig.limit)} tokens per minute, so it can never be admitted. Lower max_tokens or shorten the prompt.`,
    );
    // Waiting does not help: clients that retry 429s (the openai SDK does) should not.
    error.headers = { "x-should-retry": "false" };
    throw error;
  }
  return withStore(store, async (redis) => {
    const [keyRequest, tenantRequest] = requests;
    if (!keyRequest || !tenantRequest) throw new Error("request limits missing");
    const [keyReq, tenantReq, tok] = await Promise.all([
      requestLimiter(redis, store.prefix, keyRequest.limit).limit(keyRequest.identifier),
      requestLimiter(redis, store.prefix, tenantRequest.limit).limit(tenantRequest.identifier),
      countTokens(redis, store.prefix, tokens, estimatedTokens, { windowMs: WINDOW_MS }),
    ]);
    const states: LimitState[] = [
      {
        scope: "key",
        kind: "requests",
        limit: keyReq.limit,
        remaining: keyReq.remaining,
        reset: keyReq.reset,
      },
      {
        scope: "tenant",
        kind: "requests",
        limit: tenantReq.limit,
        remaining: tenantReq.remaining,
        reset: tenantReq.reset,
      },
      ...tokens.map((c, i) => ({
        scope: c.scope,
        kind: "tokens" as const,
        limit: c.limit,
        remaining: c.limit - (tok.used[i] ?? 0),
        reset: tok.reset,
      })),
    ];
    const admitted = [keyReq.success, tenantReq.success, tok.admitted];
    if (admitted.every(Boolean)) {
      return { headers: rateLimitHeaders(states), tokenCounters: tokens, estimatedTokens };
    }
    // A refused request consumes nothing: give back whatever the other checks counted.
    await Promise.all([
      ...requests.map((r, i) =>
        admitted[i]
          ? requestLimiter(redis, store.prefix, r.limit).limit(r.identifier, { rate: -1 })
          : null,
      ),
      tok.admitted
        ? countTokens(redis, store.prefix, tokens, -estimatedTokens, { windowMs: WINDOW_MS })
        : null,
    ]);
    const refusedAt = admitted.findIndex((ok) => !ok);
    const state =
      refusedAt < 2
        ? states[refusedAt]
        : states.slice(2).sort((a, b) => a.remaining - b.remaining)[0];
    observeRefusal("rate_limit", `${(state as LimitState).scope}_${(state as LimitState).kind}`);
    throw refusal(state as LimitState, estimatedTokens, states);
  });
}

function refusal(state: LimitState, tokens: number, states: LimitState[]): GatewayError {
  const waitMs = Math.max(0, state.reset - Date.now());
  const what = state.kind === "requests" ? "requests per minute" : "tokens per minute";
  const need = state.kind === "tokens" ? `; this request needs about ${n(tokens)}` : "";
  const error = new GatewayError(
    "rate_limit_exceeded",
    `Rate limit reached for ${what} on this ${state.scope}: limit ${n(state.limit)}, remaining ${n(Math.max(0, state.remaining))}${need}. Try again in ${formatDuration(waitMs)}.`,
  );
  error.headers = {
    ...rateLimitHeaders(states.map((s) => (s === state ? { ...s, remaining: 0 } : s))),
    "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))),
    "retry-after-ms": String(waitMs),
  };
  return error;
}

/**
 * Replaces the token estimate with the real count once usage is known: a smaller count is given
 * back, a larger one is counted even past the limit, because those tokens were spent.
 */
export async function settleTokens(
  store: Store,
  admission: Admission,
  actualTokens: number,
): Promise<void> {
  const delta = actualTokens - admission.estimatedTokens;
  if (delta === 0) return;
  await withStore(store, (redis) =>
    countTokens(redis, store.prefix, admission.tokenCounters, delta, {
      force: true,
      windowMs: WINDOW_MS,
    }),
  );
}

/** Gives back everything `admit` counted, for a call refused afterwards (by its budget). */
export async function unadmit(
  store: Store,
  principal: KeyPrincipal,
  tier: TierLimits,
  admission: Admission,
): Promise<void> {
  const { requests } = plan(principal, tier);
  await withStore(store, (redis) =>
    Promise.all([
      ...requests.map((r) =>
        requestLimiter(redis, store.prefix, r.limit).limit(r.identifier, { rate: -1 }),
      ),
      countTokens(redis, store.prefix, admission.tokenCounters, -admission.estimatedTokens, {
        windowMs: WINDOW_MS,
      }),
    ]),
  );
}

/**
 * What is left of a tenant's requests and tokens in the current window, without counting
 * anything: for the dashboard. Keys' own limits are not read here.
 */
export async function tenantHeadroom(
  store: Store,
  tenantId: string,
  tier: TierLimits,
): Promise<{ requestsRemaining: number; tokensRemaining: number }> {
  const t = `t:${tenantId}`;
  return withStore(store, async (redis) => {
    const now = Date.now();
    const window = Math.floor(now / WINDOW_MS);
    const share = (now % WINDOW_MS) / WINDOW_MS;
    const tokenKey = (w: number) => `${store.prefix}:tl:${t}:tpm:${w}`;
    const [requests, [current, previous]] = await Promise.all([
      requestLimiter(redis, store.prefix, tier.requestsPerMinute).getRemaining(`${t}:rpm`),
      redis.mget<(string | number | null)[]>(tokenKey(window), tokenKey(window - 1)),
    ]);
    const used = Math.floor((1 - share) * Number(previous ?? 0)) + Number(current ?? 0);
    return {
      requestsRemaining: Math.max(0, requests.remaining),
      tokensRemaining: Math.max(0, tier.tokensPerMinute - used),
    };
  });
}
