import type { Db } from "@/db/client";
import type { GatewayConfig } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import type { KeyCache } from "@/lib/keys/verify";
import { getTenant, updateTenant } from "@/lib/tenants/tenants";
import type { BillingProvider } from "./stripe";
import { stripePriceIds } from "./tiers";

export type TierChangeResult =
  | { status: "applied"; tier: string }
  | { status: "checkout"; url: string }
  | { status: "pending"; tier: string };

/**
 * Moves a tenant to another tier as its owner asked in the dashboard.
 *
 * Without Stripe (self-hosted) the change applies at once and is recorded in tier_changes. With
 * Stripe, money decides: a paid tier without a subscription goes through Checkout, a change between
 * paid tiers updates the subscription, and in both cases the tier changes only when Stripe's signed
 * webhook arrives. A move to a free tier cancels the subscription and applies at once, since
 * nothing is left to pay. The tenant's version is bumped so that every instance applies the new
 * tier to its next request.
 */
export async function requestTierChange(
  deps: { db: Db; config: GatewayConfig; keys: KeyCache; billing: BillingProvider | null },
  input: { tenantId: string; tier: string; email: string; baseUrl: string },
): Promise<TierChangeResult> {
  const { db, config, keys, billing } = deps;
  const target = config.tiers.get(input.tier);
  if (!target) {
    const known = [...config.tiers.keys()].join(", ");
    throw new GatewayError(
      "invalid_request",
      `Unknown tier "${input.tier}". Use one of: ${known}.`,
      {
        param: "tier",
      },
    );
  }
  const tenant = await getTenant(db, input.tenantId);
  if (tenant.tier === target.id) return { status: "applied", tier: target.id };

  const applyNow = async (): Promise<TierChangeResult> => {
    await updateTenant(db, config, tenant.id, { tier: target.id }, "dashboard");
    await keys.tenantChanged(tenant.id);
    return { status: "applied", tier: target.id };
  };
  if (!billing) return applyNow();

  if (target.priceMonthlyUsd === 0) {
    if (tenant.stripeSubscriptionId) await billing.cancelSubscription(tenant.stripeSubscriptionId);
    return applyNow();
  }
  const priceId = stripePriceIds(config).get(target.id);
  if (!priceId) {
    throw new GatewayError(
      "invalid_request",
      `The "${target.id}" tier has no Stripe price. The operator must set STRIPE_PRICE_${target.id.toUpperCase()}.`,
      { param: "tier" },
    );
  }
  if (tenant.stripeSubscriptionId) {
    await billing.changeSubscriptionPrice(tenant.stripeSubscriptionId, priceId);
    return { status: "pending", tier: target.id };
  }
  const checkout = await billing.createCheckout({
    tenantId: tenant.id,
    tier: target.id,
    priceId,
    customerId: tenant.stripeCustomerId,
    email: input.email,
    successUrl: `${input.baseUrl}/dashboard/billing?checkout=success`,
    cancelUrl: `${input.baseUrl}/dashboard/billing?checkout=cancelled`,
  });
  return { status: "checkout", url: checkout.url };
}
