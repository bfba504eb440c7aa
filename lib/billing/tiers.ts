import type { GatewayConfig } from "@/lib/config/load";

export interface TierView {
  id: string;
  priceMonthlyUsd: number;
  /** null: no hard cap. */
  monthlyBudgetNanoUsd: number | null;
  requestsPerMinute: number;
  tokensPerMinute: number;
  models: string[];
}

/** The config's tiers in the file's order, for the billing page's side-by-side cards. */
export function tierCatalog(config: GatewayConfig): TierView[] {
  return [...config.tiers.values()].map((t) => ({
    id: t.id,
    priceMonthlyUsd: t.priceMonthlyUsd,
    monthlyBudgetNanoUsd: t.monthlyBudgetNanoUsd,
    requestsPerMinute: t.requestsPerMinute,
    tokensPerMinute: t.tokensPerMinute,
    models: t.models,
  }));
}

/**
 * The Stripe price of each paid tier, from `STRIPE_PRICE_<TIER>` (the tier id upper-cased, dashes
 * as underscores), e.g. `STRIPE_PRICE_PRO=price_…`. Prices live in Stripe, so the amount charged is
 * always the one the Stripe account shows.
 */
export function stripePriceIds(config: GatewayConfig): Map<string, string> {
  const prices = new Map<string, string>();
  for (const id of config.tiers.keys()) {
    const price = process.env[`STRIPE_PRICE_${id.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`];
    if (price) prices.set(id, price);
  }
  return prices;
}

/** The tier a Stripe price stands for, if any. */
export function tierForPrice(config: GatewayConfig, priceId: string | undefined): string | null {
  if (!priceId) return null;
  for (const [tier, price] of stripePriceIds(config)) if (price === priceId) return tier;
  return null;
}
