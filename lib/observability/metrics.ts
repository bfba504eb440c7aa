import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every Prometheus series Tollgate exposes, in one registry per process. Labels are only ever
 * values from the config file (tier, model, provider ids) or small fixed sets (outcome, status,
 * kind), so the number of series is bounded by the config, whatever the traffic. Tenant and key
 * ids are deliberately not labels: there can be any number of them, and per-tenant spend is
 * already exact in the ledger (`GET /v1/usage`, the dashboard).
 */
export interface Metrics {
  registry: Registry;
  /** Chat calls that reached a provider, by how they ended. */
  requests: Counter<"tier" | "model" | "provider" | "outcome">;
  /** Arrival to last byte, whole call (fallbacks included). */
  requestSeconds: Histogram<"tier" | "model" | "provider" | "outcome">;
  /** Arrival to the first content chunk sent to a streaming client. */
  timeToFirstTokenSeconds: Histogram<"tier" | "model" | "provider">;
  /** One upstream call (one attempt), by its result and HTTP status. */
  upstreamRequests: Counter<"provider" | "model" | "outcome" | "status">;
  upstreamSeconds: Histogram<"provider" | "model" | "outcome">;
  /** Calls answered by another model than the one asked for, counted once per fallback taken. */
  fallbacks: Counter<"tier" | "model_requested" | "model_served">;
  /** Requests refused by a rate limit or a budget, before any provider call. */
  refusals: Counter<"kind" | "scope">;
  /** Requests refused before any provider call for another reason (bad key, bad body, …). */
  rejections: Counter<"code">;
  /** Charged cost in integer nano-dollars (exact in a float64 up to $9M per series). */
  spendNanoUsd: Counter<"tier" | "model">;
  tokens: Counter<"tier" | "model" | "kind">;
  /** Time spent in one step of a request (authenticate, rate_limit, budget, route, …). */
  stepSeconds: Histogram<"step">;
  /** 1 when the check passed at the last scrape, 0 when it failed. */
  databaseUp: Gauge<"database">;
  storeUp: Gauge<"store">;
  /** Usage events queued in memory, not yet written to the ledger. */
  usageQueue: Gauge;
  callsInFlight: Gauge;
  draining: Gauge;
  /** Raw usage events deleted by the retention job since start. */
  retentionDeleted: Counter;
}

// Seconds. Gateway calls range from tens of milliseconds (errors, small answers) to minutes (long
// streamed generations), so the buckets are spread logarithmically over that range.
const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160];
const FIRST_TOKEN_BUCKETS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2.5, 5, 10, 20];
const STEP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

// Next.js bundles each route separately; the registry must be one per process, not per bundle.
const slot = globalThis as unknown as { __tollgateMetrics?: Metrics };

/** The process's metrics, created on first use (with Node's default process metrics). */
export function metrics(): Metrics {
  slot.__tollgateMetrics ??= createMetrics();
  return slot.__tollgateMetrics;
}

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const callLabels = ["tier", "model", "provider", "outcome"] as const;
  return {
    registry,
    requests: new Counter({
      name: "tollgate_requests_total",
      help: "Chat calls that reached a provider, by tier, served model, provider and outcome.",
      labelNames: callLabels,
      registers,
    }),
    requestSeconds: new Histogram({
      name: "tollgate_request_duration_seconds",
      help: "Chat completion calls from arrival to last byte, fallbacks included.",
      labelNames: callLabels,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    timeToFirstTokenSeconds: new Histogram({
      name: "tollgate_time_to_first_token_seconds",
      help: "Streamed chat completions from arrival to the first chunk sent to the client.",
      labelNames: ["tier", "model", "provider"],
      buckets: FIRST_TOKEN_BUCKETS,
      registers,
    }),
    upstreamRequests: new Counter({
      name: "tollgate_upstream_requests_total",
      help: "Calls to providers (one per attempt), by provider, model, outcome and HTTP status.",
      labelNames: ["provider", "model", "outcome", "status"],
      registers,
    }),
    upstreamSeconds: new Histogram({
      name: "tollgate_upstream_duration_seconds",
      help: "Provider calls (one per attempt), from request to the end of the answer.",
      labelNames: ["provider", "model", "outcome"],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    fallbacks: new Counter({
      name: "tollgate_fallbacks_total",
      help: "Calls served by another model of the fallback chain than the one asked for.",
      labelNames: ["tier", "model_requested", "model_served"],
      registers,
    }),
    refusals: new Counter({
      name: "tollgate_refusals_total",
      help: "Requests refused by a rate limit or a budget, by the scope that refused.",
      labelNames: ["kind", "scope"],
      registers,
    }),
    rejections: new Counter({
      name: "tollgate_rejected_requests_total",
      help: "Chat requests refused before any provider call, by error code.",
      labelNames: ["code"],
      registers,
    }),
    spendNanoUsd: new Counter({
      name: "tollgate_spend_nano_usd_total",
      help: "Cost charged for calls, in nano-dollars (1e-9 USD), by tier and served model.",
      labelNames: ["tier", "model"],
      registers,
    }),
    tokens: new Counter({
      name: "tollgate_tokens_total",
      help: "Tokens charged, by tier, served model and kind.",
      labelNames: ["tier", "model", "kind"],
      registers,
    }),
    stepSeconds: new Histogram({
      name: "tollgate_step_duration_seconds",
      help: "Time spent in one step of a chat request.",
      labelNames: ["step"],
      buckets: STEP_BUCKETS,
      registers,
    }),
    databaseUp: new Gauge({
      name: "tollgate_database_up",
      help: "1 when the database answered and its migrations are applied at the last scrape.",
      labelNames: ["database"],
      registers,
    }),
    storeUp: new Gauge({
      name: "tollgate_store_up",
      help: "1 when the shared store (limits, budgets, revocations) answered at the last scrape.",
      labelNames: ["store"],
      registers,
    }),
    usageQueue: new Gauge({
      name: "tollgate_usage_queue_events",
      help: "Usage events waiting in memory to be written to the ledger.",
      registers,
    }),
    callsInFlight: new Gauge({
      name: "tollgate_calls_in_flight",
      help: "API calls being handled, open streams included.",
      registers,
    }),
    draining: new Gauge({
      name: "tollgate_draining",
      help: "1 while the instance is shutting down and refusing new requests.",
      registers,
    }),
    retentionDeleted: new Counter({
      name: "tollgate_usage_events_deleted_total",
      help: "Raw usage events deleted by the retention job (daily aggregates are kept).",
      registers,
    }),
  };
}
