import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** Money columns are integer nano-dollars (1e-9 USD) so that sums are exact. */
const nanoUsd = (name: string) => bigint(name, { mode: "number" });

export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** A tier id from the config file. */
  tier: text("tier").notNull(),
  /** When true, `monthlyBudgetNanoUsd` replaces the tier's cap (null there meaning uncapped). */
  budgetOverridden: boolean("budget_overridden").notNull().default(false),
  monthlyBudgetNanoUsd: nanoUsd("monthly_budget_nano_usd"),
  /** Stripe's customer and subscription, when billing goes through Stripe. */
  stripeCustomerId: text("stripe_customer_id"),
  stripeSubscriptionId: text("stripe_subscription_id"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** People who sign in to the dashboard. */
export const users = pgTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name"),
  passwordHash: text("password_hash"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const memberships = pgTable(
  "memberships",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** owner | member */
    role: text("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** SHA-256 of the whole key, hex; the key itself is never stored. */
    keyHash: text("key_hash").notNull(),
    /** The first characters of the key, shown to people to tell keys apart. */
    displayPrefix: text("display_prefix").notNull(),
    /** Per-key limits below the tier's; null: the tier's apply. */
    requestsPerMinute: integer("requests_per_minute"),
    tokensPerMinute: integer("tokens_per_minute"),
    monthlyBudgetNanoUsd: nanoUsd("monthly_budget_nano_usd"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_keys_key_hash").on(t.keyHash), index("api_keys_tenant").on(t.tenantId)],
);

/** The ledger: one row per call, the source of truth for spend. */
export const usageEvents = pgTable(
  "usage_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    requestId: text("request_id").notNull(),
    tenantId: text("tenant_id").notNull(),
    keyId: text("key_id").notNull(),
    modelRequested: text("model_requested").notNull(),
    modelServed: text("model_served").notNull(),
    providerId: text("provider_id").notNull(),
    /** The tenant's own end user, from OpenAI's `user` field; null when the request named none. */
    endUser: text("end_user"),
    /** Uncached prompt tokens; cache reads and writes are counted apart. */
    inputTokens: integer("input_tokens").notNull(),
    cacheReadTokens: integer("cache_read_tokens").notNull(),
    cacheWriteTokens: integer("cache_write_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    costNanoUsd: nanoUsd("cost_nano_usd").notNull(),
    /** Milliseconds from the request's arrival to its last byte. */
    latencyMs: integer("latency_ms").notNull(),
    /** HTTP status answered to the client. */
    status: integer("status").notNull(),
    /** ok | error | client_disconnected | incomplete */
    outcome: text("outcome").notNull(),
    streamed: boolean("streamed").notNull(),
    /** True when the tokens were counted by Tollgate because the provider never reported them. */
    estimated: boolean("estimated").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("usage_events_tenant_time").on(t.tenantId, t.createdAt),
    index("usage_events_request").on(t.requestId),
    index("usage_events_end_user").on(t.tenantId, t.endUser, t.createdAt),
    // The retention job deletes by age across all tenants.
    index("usage_events_created_at").on(t.createdAt),
  ],
);

/** Daily totals per tenant, key and served model, written with the ledger rows, read by charts. */
export const usageDaily = pgTable(
  "usage_daily",
  {
    tenantId: text("tenant_id").notNull(),
    keyId: text("key_id").notNull(),
    model: text("model").notNull(),
    /** UTC day. */
    day: date("day", { mode: "string" }).notNull(),
    requests: integer("requests").notNull().default(0),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    cacheReadTokens: bigint("cache_read_tokens", { mode: "number" }).notNull().default(0),
    cacheWriteTokens: bigint("cache_write_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    costNanoUsd: nanoUsd("cost_nano_usd").notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.keyId, t.model, t.day] })],
);

/** Budget alert receivers: a tenant's webhook URLs, each signing with the tenant's secret. */
export const alertWebhooks = pgTable(
  "alert_webhooks",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("alert_webhooks_tenant").on(t.tenantId)],
);

/** Per-tenant alert settings. The signing secret is kept to sign deliveries; shown once. */
export const alertSettings = pgTable("alert_settings", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  /** Percentages of the cap, ascending, e.g. [50, 80, 100]. */
  thresholdsPercent: integer("thresholds_percent").array().notNull(),
  signingSecret: text("signing_secret").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per (tenant, month, threshold, webhook): the unique index is what makes an alert go out
 * exactly once however many instances see the threshold crossed at the same time.
 */
export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull(),
    webhookId: text("webhook_id").notNull(),
    /** First day of the budget month, UTC. */
    period: date("period", { mode: "string" }).notNull(),
    /** The percentage of the cap crossed; 0 for an absolute amount on an uncapped tier. */
    thresholdPercent: integer("threshold_percent").notNull(),
    /** The absolute month-to-date amount crossed on an uncapped tier; 0 for a percentage. */
    thresholdNanoUsd: bigint("threshold_nano_usd", { mode: "number" }).notNull().default(0),
    /** pending | delivered | failed */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    responseStatus: integer("response_status"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("alert_deliveries_once").on(
      t.tenantId,
      t.webhookId,
      t.period,
      t.thresholdPercent,
      t.thresholdNanoUsd,
    ),
  ],
);

/** Links that let someone join a tenant as a member; only a hash of the token is stored. */
export const invites = pgTable("invites", {
  id: text("id").primaryKey(),
  tenantId: text("tenant_id")
    .notNull()
    .references(() => tenants.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  createdBy: text("created_by").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  acceptedAt: timestamp("accepted_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Every tier change, whoever made it (admin API, dashboard, Stripe), for the record. */
export const tierChanges = pgTable("tier_changes", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  tenantId: text("tenant_id").notNull(),
  fromTier: text("from_tier").notNull(),
  toTier: text("to_tier").notNull(),
  /** admin | dashboard | stripe */
  source: text("source").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Stripe events already applied, by event id: a replayed webhook changes nothing twice. */
export const billingEvents = pgTable("billing_events", {
  eventId: text("event_id").primaryKey(),
  type: text("type").notNull(),
  tenantId: text("tenant_id"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
});
