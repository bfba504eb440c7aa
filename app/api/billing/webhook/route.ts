import { type StripeEvent, verifyStripeEvent } from "@/lib/billing/stripe";
import { applyStripeEvent } from "@/lib/billing/webhook";
import { GatewayError } from "@/lib/errors";
import { apiHandler } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/**
 * Stripe's webhook: verifies the signature on the raw body, applies the event once, answers 200
 * so Stripe stops retrying (also for events Tollgate ignores). A bad signature is a 400 that
 * changes nothing.
 */
export const POST = apiHandler(async (request, { runtime, log }) => {
  const secret = process.env.STRIPE_WEBHOOK_SECRET;
  if (!secret) {
    throw new GatewayError("not_found", "Stripe billing is not configured on this server.");
  }
  const payload = await request.text();
  let event: StripeEvent;
  try {
    event = verifyStripeEvent(payload, request.headers.get("stripe-signature") ?? "", secret);
  } catch {
    throw new GatewayError(
      "invalid_request",
      "Invalid Stripe signature. Check that STRIPE_WEBHOOK_SECRET is this endpoint's signing secret.",
      { param: "stripe-signature" },
    );
  }
  const { outcome, tenantId } = await applyStripeEvent(runtime.database.db, runtime.config, event);
  // Cached keys carry the tenant's tier: the version bump makes every instance re-read it.
  if (tenantId) await runtime.keys.tenantChanged(tenantId);
  log.info({ stripeEvent: event.id, type: event.type, outcome }, "stripe webhook");
  return Response.json({ received: true, outcome });
});
