import type { ResolvedModel } from "@/lib/config/load";
import type { KeyPrincipal } from "@/lib/keys/verify";
import { tenantVersionKey } from "@/lib/keys/verify";
import { type Admission, unadmit } from "@/lib/limits/ratelimit";
import type { Logger } from "@/lib/log";
import type { ChatRequest } from "@/lib/providers/types";
import { cooldownKey } from "@/lib/routing/health";
import { modelChain } from "@/lib/routing/resolve";
import type { Runtime } from "@/lib/runtime";
import { withStore } from "@/lib/store";
import {
  admitLimits,
  contextTooLong,
  dropEarly,
  type EarlyReservation,
  fitsContext,
  reserveEarly,
} from "./admission";

export interface Admitted {
  principal: KeyPrincipal;
  chain: ResolvedModel[];
  limits: Admission;
  coolingDown: Set<string>;
  early: EarlyReservation | null;
}

/**
 * Authenticates and admits a call with the tenant's current settings. The rate-limit check, one
 * MGET (the tenant's version and the chain's cooldown flags) and the first model's budget
 * reservation leave together: one round trip. When
 * the version shows the cached key is stale (a tier, cap or key changed on some instance), what
 * was counted is given back and the call is admitted again on fresh settings: a change applies to
 * the next request on every instance, not after the cache's TTL.
 */
export async function admitCurrent(
  runtime: Runtime,
  authorization: string | null,
  verified: KeyPrincipal,
  request: ChatRequest,
  log: Logger,
): Promise<Admitted> {
  let principal = verified;
  for (let pass = 0; ; pass++) {
    const chain = modelChain(runtime.config, principal.tier, request.model);
    // A prompt no model can take is the client's to shorten: said before any limit counts it.
    if (!chain.some((m) => fitsContext(request, m))) throw contextTooLong();
    const asked = chain[0] as ResolvedModel;
    const keys = [
      tenantVersionKey(runtime.store, principal.tenantId),
      ...chain.map((m) => cooldownKey(runtime.store, m.id)),
    ];
    const settled = Promise.allSettled([
      admitLimits(runtime, principal, request, asked),
      withStore(runtime.store, (redis) => redis.mget<(string | number | null)[]>(...keys)),
    ]);
    // In the same tick as the two above, so node-redis writes all three at once.
    const early = reserveEarly(runtime, principal, request, chain);
    const [limits, peek] = await settled;
    if (peek.status === "rejected") {
      dropEarly(runtime, early, log);
      throw peek.reason;
    }
    const [version, ...flags] = peek.value;
    const stale = pass === 0 && String(version ?? 0) !== principal.version;
    if (!stale) {
      if (limits.status === "rejected") {
        dropEarly(runtime, early, log);
        throw limits.reason;
      }
      return {
        principal,
        chain,
        limits: limits.value,
        coolingDown: new Set(chain.filter((_, i) => flags[i] != null).map((m) => m.id)),
        early,
      };
    }
    dropEarly(runtime, early, log);
    const tier = runtime.config.tiers.get(principal.tier);
    if (limits.status === "fulfilled" && tier)
      await unadmit(runtime.store, principal, tier, limits.value);
    runtime.keys.forgetPrincipal(principal);
    principal = await runtime.keys.verify(authorization);
  }
}
