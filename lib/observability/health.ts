import { readFileSync } from "node:fs";
import path from "node:path";
import { max } from "drizzle-orm";
import { bigint, pgSchema } from "drizzle-orm/pg-core";
import type { Runtime } from "@/lib/runtime";
import type { Store } from "@/lib/store";
import { metrics } from "./metrics";

export interface StoreHealth {
  ok: boolean;
  /** Which store: "memory" (this process only), "redis", "upstash", … */
  store: string;
  latencyMs?: number;
  /** Why it failed, for the operator (never a URL with credentials). */
  error?: string;
}

export interface DatabaseHealth {
  ok: boolean;
  kind: "postgres" | "pglite";
  latencyMs: number;
  /** Applied: the newest migration in the database; expected: the newest this build ships. */
  migrations?: { applied: number | null; expected: number };
  error?: string;
}

/** Drizzle's own record of applied migrations (not part of db/schema.ts: the migrator owns it). */
const migrations = pgSchema("drizzle").table("__drizzle_migrations", {
  createdAt: bigint("created_at", { mode: "number" }),
});

/** How long a check may take before it counts as failed: a probe must not hang /api/ready. */
const CHECK_TIMEOUT_MS = 2_000;

const slot = globalThis as unknown as { __tollgateStoreProbe?: () => Promise<StoreHealth> };

/**
 * Replaces how the shared store is checked (by default: PING through the store's client). For a
 * store whose health needs more than a ping.
 */
export function setStoreProbe(probe: () => Promise<StoreHealth>): void {
  slot.__tollgateStoreProbe = probe;
}

/**
 * Whether the shared store (Redis: limits, budgets) answers, within CHECK_TIMEOUT_MS. The
 * in-process memory store always does.
 */
export async function storeHealth(store: Store): Promise<StoreHealth> {
  const startedAt = performance.now();
  const probe = slot.__tollgateStoreProbe ?? (() => pingStore(store));
  try {
    return await withTimeout(probe());
  } catch (err) {
    return {
      ok: false,
      store: store.kind,
      latencyMs: Math.round(performance.now() - startedAt),
      error: messageOf(err),
    };
  }
}

async function pingStore(store: Store): Promise<StoreHealth> {
  if (store.kind === "memory") return { ok: true, store: "memory" };
  const startedAt = performance.now();
  const answer = await store.primary.ping();
  return {
    ok: answer === "PONG",
    store: store.kind,
    latencyMs: Math.round(performance.now() - startedAt),
  };
}

/** Whether the database answers and has every migration this build ships. */
export async function databaseHealth(runtime: Runtime): Promise<DatabaseHealth> {
  const startedAt = performance.now();
  const kind = runtime.database.kind;
  const latency = () => Math.round(performance.now() - startedAt);
  try {
    // Drizzle's migrator records each applied migration with its journal timestamp, and decides
    // what to apply by the newest one: the same comparison tells whether this build's schema is in.
    const [row] = await withTimeout(
      runtime.database.db.select({ applied: max(migrations.createdAt) }).from(migrations),
    );
    const applied = row?.applied == null ? null : Number(row.applied);
    const expected = newestMigration();
    const ok = applied !== null && applied >= expected;
    return {
      ok,
      kind,
      latencyMs: latency(),
      migrations: { applied, expected },
      ...(ok ? {} : { error: "database migrations are not applied" }),
    };
  } catch (err) {
    return { ok: false, kind, latencyMs: latency(), error: messageOf(err) };
  }
}

/**
 * Checks database and store together and keeps the health gauges of /api/metrics current. Ready
 * means the database answers with every migration, and the store answers unless the config's
 * `store.onOutage` is "open" (the default), under which an instance serves without it.
 */
export async function checkReadiness(
  runtime: Runtime,
): Promise<{ ok: boolean; database: DatabaseHealth; store: StoreHealth }> {
  const [database, store] = await Promise.all([
    databaseHealth(runtime),
    storeHealth(runtime.store),
  ]);
  const m = metrics();
  m.databaseUp.set({ database: database.kind }, database.ok ? 1 : 0);
  m.storeUp.set({ store: store.store }, store.ok ? 1 : 0);
  // With the "open" outage policy every instance keeps serving on its own memory store while
  // Redis is down; failing readiness then would take the whole fleet out of the load balancer at
  // once. With "closed", requests are refused anyway, so the instance is not ready.
  const storeRequired = runtime.store.policy === "closed";
  return { ok: database.ok && (store.ok || !storeRequired), database, store };
}

let expectedMigration: number | undefined;

function newestMigration(): number {
  if (expectedMigration !== undefined) return expectedMigration;
  // Read at run time from the folder the migrator uses, not bundled, so the image's copy is read.
  const file = path.resolve(
    /*turbopackIgnore: true*/ process.cwd(),
    "db/migrations/meta/_journal.json",
  );
  const journal = JSON.parse(readFileSync(/*turbopackIgnore: true*/ file, "utf8")) as {
    entries: Array<{ when: number }>;
  };
  expectedMigration = Math.max(0, ...journal.entries.map((e) => e.when));
  return expectedMigration;
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
