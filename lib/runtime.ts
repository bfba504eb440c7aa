import { type Database, openDatabase } from "@/db/client";
import { type GatewayConfig, loadConfig } from "@/lib/config/load";
import { KeyCache } from "@/lib/keys/verify";
import { logger } from "@/lib/log";
import { createAdapters } from "@/lib/providers/registry";
import type { ProviderAdapter } from "@/lib/providers/types";
import { openStore, type Store } from "@/lib/store";
import { UsageRecorder } from "@/lib/usage/recorder";

/** Everything a request needs that lives as long as the process. */
export interface Runtime {
  config: GatewayConfig;
  database: Database;
  keys: KeyCache;
  usage: UsageRecorder;
  adapters: Map<string, ProviderAdapter>;
  /** Redis (or its in-memory stand-in) for rate limits and budgets. */
  store: Store;
}

// Next.js bundles instrumentation and each route separately, so module-level state would exist
// once per bundle; the process-wide slot on globalThis makes every bundle share one runtime.
const slot = globalThis as unknown as { __tollgateRuntime?: Promise<Runtime> };

/** The process's runtime, created on first use: config loaded, database open and migrated. */
export function getRuntime(): Promise<Runtime> {
  slot.__tollgateRuntime ??= createRuntime();
  return slot.__tollgateRuntime;
}

async function createRuntime(): Promise<Runtime> {
  const config = loadConfig();
  const database = await openDatabase();
  const store = openStore(config.storeOnOutage);
  const runtime: Runtime = {
    config,
    database,
    keys: new KeyCache(database.db, store),
    usage: new UsageRecorder(database.db),
    adapters: createAdapters(config.providers.values()),
    store,
  };
  logger.info(
    {
      config: config.path,
      providers: [...config.providers.keys()],
      models: config.models.size,
      tiers: [...config.tiers.keys()],
    },
    "tollgate runtime ready",
  );
  return runtime;
}

/** Flushes queued usage and closes the database; called on SIGTERM and SIGINT. */
export async function shutdownRuntime(): Promise<void> {
  const pending = slot.__tollgateRuntime;
  if (!pending) return;
  const runtime = await pending;
  await runtime.usage.flush();
  await runtime.database.close();
  await runtime.store.close();
}
