import { createHash } from "node:crypto";
import type { ResolvedTier } from "@/lib/config/load";
import type { KeyPrincipal } from "@/lib/keys/verify";
import type { Store } from "@/lib/store";

export type BudgetScope = "tenant" | "key" | "user";

/** One budget counter a call is charged on. */
export interface Counter {
  scope: BudgetScope;
  /** Store key: carries the tenant (and key or end user) id and the month. */
  key: string;
  /** The cap in force; null: none (the tenant's counter still counts, for alerts and usage). */
  capNanoUsd: number | null;
}

/** Hash of an end-user id as sent by the client: any string, kept out of store keys as such. */
export function endUserId(user: string): string {
  return createHash("sha256").update(user).digest("hex").slice(0, 32);
}

/**
 * The counters a call is charged on this month: the tenant's always (so spend is known for alerts
 * even without a cap), the key's when it has its own cap, the end user's when the tier caps users.
 * Caps come from the key cache (tenant override, else tier), so a change applies within its TTL.
 */
export function countersFor(
  store: Store,
  principal: KeyPrincipal,
  tier: ResolvedTier | undefined,
  month: string,
  user: string | null,
): Counter[] {
  const base = `${store.prefix}:b:${month}:t:${principal.tenantId}`;
  const tenantCap =
    principal.tenantBudgetNanoUsd !== undefined
      ? principal.tenantBudgetNanoUsd
      : (tier?.monthlyBudgetNanoUsd ?? null);
  const counters: Counter[] = [{ scope: "tenant", key: base, capNanoUsd: tenantCap }];
  if (principal.keyBudgetNanoUsd !== null) {
    counters.push({
      scope: "key",
      key: `${base}:k:${principal.keyId}`,
      capNanoUsd: principal.keyBudgetNanoUsd,
    });
  }
  const userCap = tier?.perUserMonthlyBudgetNanoUsd ?? null;
  if (user && userCap !== null) {
    counters.push({ scope: "user", key: `${base}:u:${endUserId(user)}`, capNanoUsd: userCap });
  }
  return counters;
}
