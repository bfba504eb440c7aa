import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { eq } from "drizzle-orm";
import { stringify } from "yaml";
import { type Database, openDatabase } from "@/db/client";
import { tenants } from "@/db/schema";
import { requestTierChange } from "@/lib/billing/change-tier";
import type { BillingProvider } from "@/lib/billing/stripe";
import { type GatewayConfig, loadConfig } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import type { KeyCache } from "@/lib/keys/verify";
import { createTenant, getTenant } from "@/lib/tenants/tenants";
import { gatewayConfig } from "../helpers/configs";

// The dashboard's tier change against the embedded database, with a fake Stripe: no network.
const dir = mkdtempSync(path.join(tmpdir(), "tollgate-tier-"));
let database: Database;
let config: GatewayConfig;
const cleared: string[] = [];
const keys = {
  tenantChanged: async (tenantId: string) => {
    cleared.push(tenantId);
  },
} as unknown as KeyCache;

before(async () => {
  const base = gatewayConfig({ openai: "http://127.0.0.1:9" });
  const tiers = base.tiers.map((t) => ({ ...t, priceMonthlyUsd: t.id === "pro" ? 20 : 0 }));
  tiers.push({ ...tiers[1], id: "team", priceMonthlyUsd: 50 } as (typeof tiers)[number]);
  const file = path.join(dir, "config.yaml");
  writeFileSync(file, stringify({ ...base, tiers }));
  config = loadConfig(file);
  process.env.TOLLGATE_DATA_DIR = path.join(dir, "data");
  process.env.STRIPE_PRICE_PRO = "price_pro";
  database = await openDatabase();
});
after(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

function fakeStripe() {
  const calls: string[] = [];
  const billing: BillingProvider = {
    async createCheckout(input) {
      calls.push(`checkout ${input.tenantId} ${input.tier} ${input.priceId} ${input.successUrl}`);
      return { url: "https://checkout.example/session" };
    },
    async changeSubscriptionPrice(subscriptionId, priceId) {
      calls.push(`change ${subscriptionId} ${priceId}`);
    },
    async cancelSubscription(subscriptionId) {
      calls.push(`cancel ${subscriptionId}`);
    },
  };
  return { billing, calls };
}

const deps = (billing: BillingProvider | null) => ({ db: database.db, config, keys, billing });
const input = (tenantId: string, tier: string) => ({
  tenantId,
  tier,
  email: "owner@example.com",
  baseUrl: "http://tollgate.test",
});

test("self-hosted: the change applies at once, is recorded and reaches every instance", async () => {
  const tenant = await createTenant(database.db, config, { name: "Self-hosted" });
  cleared.length = 0;
  const result = await requestTierChange(deps(null), input(tenant.id, "pro"));
  assert.deepEqual(result, { status: "applied", tier: "pro" });
  assert.equal((await getTenant(database.db, tenant.id)).tier, "pro");
  assert.deepEqual(cleared, [tenant.id]);
});

test("with Stripe, a paid tier goes through Checkout and nothing changes until the webhook", async () => {
  const tenant = await createTenant(database.db, config, { name: "Checkout" });
  const { billing, calls } = fakeStripe();
  const result = await requestTierChange(deps(billing), input(tenant.id, "pro"));
  assert.deepEqual(result, { status: "checkout", url: "https://checkout.example/session" });
  assert.deepEqual(calls, [
    `checkout ${tenant.id} pro price_pro http://tollgate.test/dashboard/billing?checkout=success`,
  ]);
  assert.equal((await getTenant(database.db, tenant.id)).tier, "free");
});

test("with a subscription, a paid change updates it and a free one cancels it", async () => {
  const tenant = await createTenant(database.db, config, { name: "Subscribed", tier: "team" });
  const { db } = database;
  await db.update(tenants).set({ stripeSubscriptionId: "sub_9" }).where(eq(tenants.id, tenant.id));
  const { billing, calls } = fakeStripe();

  assert.deepEqual(await requestTierChange(deps(billing), input(tenant.id, "pro")), {
    status: "pending",
    tier: "pro",
  });
  assert.equal((await getTenant(db, tenant.id)).tier, "team");

  assert.deepEqual(await requestTierChange(deps(billing), input(tenant.id, "free")), {
    status: "applied",
    tier: "free",
  });
  assert.deepEqual(calls, ["change sub_9 price_pro", "cancel sub_9"]);
  assert.equal((await getTenant(db, tenant.id)).tier, "free");
});

test("a paid tier without a Stripe price is refused with what the operator must set", async () => {
  const tenant = await createTenant(database.db, config, { name: "No price" });
  const { billing, calls } = fakeStripe();
  await assert.rejects(requestTierChange(deps(billing), input(tenant.id, "team")), (err) => {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.status, 400);
    assert.match(err.message, /STRIPE_PRICE_TEAM/);
    return true;
  });
  assert.deepEqual(calls, []);
});
