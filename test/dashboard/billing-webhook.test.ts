import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Stripe from "stripe";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

const SECRET = "whsec_test_tollgate";
const stripe = new Stripe("sk_test_unused");
let t: Tollgate;

before(async () => {
  t = await startTollgate(gatewayConfig({ openai: "http://127.0.0.1:9" }), {
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_PRICE_PRO: "price_pro",
  });
});
after(() => t.stop());

function event(id: string, type: string, object: Record<string, unknown>) {
  return JSON.stringify({ id, object: "event", type, data: { object }, created: 1 });
}

async function deliver(payload: string, secret = SECRET) {
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
  return fetch(`${t.url}/api/billing/webhook`, {
    method: "POST",
    headers: { "stripe-signature": signature, "content-type": "application/json" },
    body: payload,
  });
}

async function tierOf(tenantId: string): Promise<string> {
  const res = await t.admin("GET", `/api/admin/tenants/${tenantId}`);
  return ((await res.json()) as { tier: string }).tier;
}

const checkoutCompleted = (id: string, tenantId: string) =>
  event(id, "checkout.session.completed", {
    id: `cs_${id}`,
    object: "checkout.session",
    client_reference_id: tenantId,
    customer: "cus_1",
    subscription: "sub_1",
    metadata: { tenantId, tier: "pro" },
  });

test("a bad signature gets 400 and changes nothing", async () => {
  const { tenantId } = await t.createTenantWithKey("free", "Unsigned");
  const res = await deliver(checkoutCompleted("evt_bad", tenantId), "whsec_someone_else");
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: { code: string; param: string } };
  assert.equal(body.error.code, "invalid_request");
  assert.equal(body.error.param, "stripe-signature");
  assert.equal(await tierOf(tenantId), "free");

  const unsigned = await fetch(`${t.url}/api/billing/webhook`, {
    method: "POST",
    body: checkoutCompleted("evt_bad2", tenantId),
  });
  assert.equal(unsigned.status, 400);
  assert.equal(await tierOf(tenantId), "free");
});

test("checkout.session.completed moves the tenant to the tier it paid for, once", async () => {
  const { tenantId, key } = await t.createTenantWithKey("free", "Paying");
  const payload = checkoutCompleted("evt_checkout", tenantId);
  const first = await deliver(payload);
  assert.equal(first.status, 200);
  assert.deepEqual(await first.json(), { received: true, outcome: "applied" });
  assert.equal(await tierOf(tenantId), "pro");

  // The API applies the new tier's cap to the very next request.
  const usage = await fetch(`${t.url}/v1/usage`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal(((await usage.json()) as { budgetUsd: number }).budgetUsd, 10);

  const replay = await deliver(payload);
  assert.equal(replay.status, 200);
  assert.deepEqual(await replay.json(), { received: true, outcome: "duplicate" });
});

test("subscription updated and deleted follow the subscription, replays change nothing", async () => {
  const { tenantId } = await t.createTenantWithKey("free", "Subscriber");
  await deliver(
    event("evt_sub_checkout", "checkout.session.completed", {
      object: "checkout.session",
      client_reference_id: tenantId,
      customer: "cus_2",
      subscription: "sub_2",
      metadata: { tenantId, tier: "pro" },
    }),
  );
  assert.equal(await tierOf(tenantId), "pro");

  const deleted = event("evt_sub_deleted", "customer.subscription.deleted", {
    id: "sub_2",
    object: "subscription",
    status: "canceled",
    customer: "cus_2",
    metadata: { tenantId, tier: "pro" },
    items: { data: [{ price: { id: "price_pro" } }] },
  });
  assert.deepEqual(await (await deliver(deleted)).json(), { received: true, outcome: "applied" });
  assert.equal(await tierOf(tenantId), "free");

  // A late `updated` for the cancelled subscription, delivered again: still one change, no upgrade.
  const updated = event("evt_sub_updated", "customer.subscription.updated", {
    id: "sub_2",
    object: "subscription",
    status: "active",
    customer: "cus_2",
    metadata: { tenantId, tier: "pro" },
    items: { data: [{ price: { id: "price_pro" } }] },
  });
  assert.deepEqual(await (await deliver(updated)).json(), { received: true, outcome: "ignored" });
  assert.equal(await tierOf(tenantId), "free");
  assert.deepEqual(await (await deliver(updated)).json(), { received: true, outcome: "duplicate" });
  assert.deepEqual(await (await deliver(deleted)).json(), { received: true, outcome: "duplicate" });
});

test("every applied event is recorded once with its tier changes", async () => {
  await t.terminate();
  const events = await t.query<{ event_id: string }>(
    "select event_id from billing_events order by event_id",
  );
  assert.deepEqual(
    events.map((e) => e.event_id),
    ["evt_checkout", "evt_sub_checkout", "evt_sub_deleted", "evt_sub_updated"],
  );
  const changes = await t.query<{ from_tier: string; to_tier: string; source: string }>(
    "select from_tier, to_tier, source from tier_changes order by id",
  );
  assert.deepEqual(
    changes.map((c) => `${c.from_tier}>${c.to_tier}:${c.source}`),
    ["free>pro:stripe", "free>pro:stripe", "pro>free:stripe"],
  );
});
