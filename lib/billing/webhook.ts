import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { billingEvents, tenants } from "@/db/schema";
import type { GatewayConfig } from "@/lib/config/load";
import { updateTenant } from "@/lib/tenants/tenants";
import type { StripeEvent } from "./stripe";
import { tierForPrice } from "./tiers";

export type WebhookOutcome = "applied" | "duplicate" | "ignored";

export interface WebhookResult {
  outcome: WebhookOutcome;
  /** The tenant the event changed, when it changed one. */
  tenantId: string | null;
}

/** Subscription states in which the customer has paid for the tier. */
const PAYING = new Set(["active", "trialing", "past_due"]);

/**
 * Applies one verified Stripe event. The event id is written to billing_events in the same
 * transaction as the change, so a replayed or concurrently redelivered event changes nothing twice,
 * and a change that fails leaves the id unwritten for Stripe's retry.
 */
export async function applyStripeEvent(
  db: Db,
  config: GatewayConfig,
  event: StripeEvent,
): Promise<WebhookResult> {
  return db.transaction(async (tx) => {
    const txDb = tx as unknown as Db;
    const change = await changeFor(txDb, config, event);
    const inserted = await txDb
      .insert(billingEvents)
      .values({ eventId: event.id, type: event.type, tenantId: change?.tenantId ?? null })
      .onConflictDoNothing()
      .returning({ eventId: billingEvents.eventId });
    if (inserted.length === 0) return { outcome: "duplicate", tenantId: null };
    if (!change) return { outcome: "ignored", tenantId: null };
    if (change.customer !== undefined || change.subscription !== undefined) {
      await txDb
        .update(tenants)
        .set({
          ...(change.customer !== undefined ? { stripeCustomerId: change.customer } : {}),
          ...(change.subscription !== undefined
            ? { stripeSubscriptionId: change.subscription }
            : {}),
        })
        .where(eq(tenants.id, change.tenantId));
    }
    if (change.tier) {
      await updateTenant(txDb, config, change.tenantId, { tier: change.tier }, "stripe");
    }
    return { outcome: "applied", tenantId: change.tenantId };
  });
}

interface Change {
  tenantId: string;
  tier: string | null;
  customer?: string | null;
  subscription?: string | null;
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === "string" ? value : (value?.id ?? null);

/** What an event means for a tenant, or null for events and tenants Tollgate does not know. */
async function changeFor(
  db: Db,
  config: GatewayConfig,
  event: StripeEvent,
): Promise<Change | null> {
  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    const tenantId = session.client_reference_id ?? session.metadata?.tenantId;
    const tier = session.metadata?.tier;
    if (!tenantId || !(await tenantExists(db, tenantId))) return null;
    return {
      tenantId,
      tier: tier && config.tiers.has(tier) ? tier : null,
      customer: idOf(session.customer),
      subscription: idOf(session.subscription),
    };
  }
  if (
    event.type === "customer.subscription.updated" ||
    event.type === "customer.subscription.deleted"
  ) {
    const subscription = event.data.object;
    const tenantId = await tenantOfSubscription(db, subscription.id);
    if (!tenantId) return null;
    if (event.type === "customer.subscription.deleted" || !PAYING.has(subscription.status)) {
      return { tenantId, tier: config.defaultTier, subscription: null };
    }
    const priceTier = tierForPrice(config, subscription.items.data[0]?.price.id);
    const metaTier = subscription.metadata?.tier;
    const tier = priceTier ?? (metaTier && config.tiers.has(metaTier) ? metaTier : null);
    return { tenantId, tier, subscription: subscription.id, customer: idOf(subscription.customer) };
  }
  return null;
}

async function tenantExists(db: Db, tenantId: string): Promise<boolean> {
  const [row] = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
  return Boolean(row);
}

/**
 * The tenant whose current subscription this is. Only the stored id counts: an event about an
 * older subscription (cancelled, replaced, or arriving late) must not touch the tenant, and an
 * event arriving before `checkout.session.completed` changes nothing that event will not set.
 */
async function tenantOfSubscription(db: Db, subscriptionId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(eq(tenants.stripeSubscriptionId, subscriptionId));
  return row?.id ?? null;
}
