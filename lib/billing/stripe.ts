import Stripe from "stripe";

/**
 * The few Stripe calls Tollgate makes, as an interface so that tests can pass a fake: the real
 * client is only built when `STRIPE_SECRET_KEY` is set, and tests never reach Stripe's API.
 */
export interface BillingProvider {
  createCheckout(input: {
    tenantId: string;
    tier: string;
    priceId: string;
    customerId: string | null;
    email: string;
    successUrl: string;
    cancelUrl: string;
  }): Promise<{ url: string }>;
  changeSubscriptionPrice(subscriptionId: string, priceId: string): Promise<void>;
  cancelSubscription(subscriptionId: string): Promise<void>;
}

export function stripeConfigured(): boolean {
  return Boolean(process.env.STRIPE_SECRET_KEY);
}

/** The Stripe-backed provider, or null when Stripe is not configured (self-hosted mode). */
export function stripeBilling(): BillingProvider | null {
  const key = process.env.STRIPE_SECRET_KEY;
  if (!key) return null;
  const stripe = new Stripe(key);
  return {
    async createCheckout(input) {
      const session = await stripe.checkout.sessions.create({
        mode: "subscription",
        line_items: [{ price: input.priceId, quantity: 1 }],
        client_reference_id: input.tenantId,
        ...(input.customerId ? { customer: input.customerId } : { customer_email: input.email }),
        metadata: { tenantId: input.tenantId, tier: input.tier },
        // On the subscription too, so that later subscription events name the tenant.
        subscription_data: { metadata: { tenantId: input.tenantId, tier: input.tier } },
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
      });
      if (!session.url) throw new Error("Stripe returned a checkout session without a URL");
      return { url: session.url };
    },
    async changeSubscriptionPrice(subscriptionId, priceId) {
      const subscription = await stripe.subscriptions.retrieve(subscriptionId);
      const item = subscription.items.data[0];
      if (!item) throw new Error(`subscription ${subscriptionId} has no item`);
      await stripe.subscriptions.update(subscriptionId, {
        items: [{ id: item.id, price: priceId }],
        proration_behavior: "create_prorations",
      });
    },
    async cancelSubscription(subscriptionId) {
      await stripe.subscriptions.cancel(subscriptionId);
    },
  };
}

/**
 * Verifies a webhook's `Stripe-Signature` against `STRIPE_WEBHOOK_SECRET` and parses the event;
 * throws on a bad or stale signature. Needs no API key: verification is local.
 */
export function verifyStripeEvent(payload: string, signature: string, secret: string) {
  return Stripe.webhooks.constructEvent(payload, signature, secret);
}

export type StripeEvent = ReturnType<typeof verifyStripeEvent>;
