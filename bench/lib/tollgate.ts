import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { createClient } from "redis";
import { stringify } from "yaml";
import { freePort, type Server, spawnServer, stopServer, waitUntil } from "./proc";
import { baseEnv, NEXT_BIN, ROOT, type Target } from "./targets";

export const ADMIN_DB_URL =
  process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * The benchmark's config: one OpenAI-compatible provider (the fake), priced models, and a tier
 * whose limits are never reached but are all checked, with a cap so every call reserves and
 * settles a budget. bench-slow and bench-hold make the fake stream slowly (see fake-provider.mjs).
 */
export function benchConfig(providerUrl: string): object {
  const model = (id: string) => ({
    id,
    provider: "fake",
    inputPerMillionUsd: 0.15,
    outputPerMillionUsd: 0.6,
    contextWindow: 128_000,
    maxOutputTokens: 256,
  });
  const models = ["bench-fast", "bench-slow", "bench-hold"];
  return {
    providers: [
      {
        id: "fake",
        type: "openai",
        baseURL: `${providerUrl}/v1`,
        apiKeyEnv: "BENCH_PROVIDER_KEY",
        timeoutMs: 30_000,
      },
    ],
    models: models.map(model),
    defaultTier: "bench",
    routing: { retries: 0 },
    tiers: [
      {
        id: "bench",
        monthlyBudgetUsd: 1_000_000,
        requestsPerMinute: 100_000_000,
        tokensPerMinute: 1_000_000_000,
        models,
        fallbacks: Object.fromEntries(models.map((m) => [m, []])),
      },
    ],
  };
}

/** A running Tollgate and what it runs on. */
export interface Tollgate extends Target {
  adminToken: string;
  tenantId: string;
  key: string;
  /** The database URL (through the relay when one was given); unset: embedded PGlite. */
  databaseUrl?: string;
  configFile: string;
  prefix?: string;
  admin(method: string, route: string, body?: unknown): Promise<Response>;
}

/** What a Tollgate run shares with another: one database, one Redis prefix, one config. */
export interface Backing {
  kind: "embedded" | "redis";
  dir: string;
  configFile: string;
  adminToken: string;
  dbName?: string;
  prefix?: string;
}

/** Creates the config and the database (a new Postgres database and Redis prefix, or PGlite). */
export async function createBacking(
  kind: Backing["kind"],
  runDir: string,
  providerUrl: string,
): Promise<Backing> {
  const dir = path.join(runDir, `tollgate-${kind}`);
  mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, "tollgate.config.yaml");
  writeFileSync(configFile, stringify(benchConfig(providerUrl)));
  const adminToken = randomBytes(18).toString("hex");
  if (kind === "embedded") return { kind, dir, configFile, adminToken };
  const dbName = `tollgate_bench_${process.pid}_${Date.now().toString(36)}`;
  const sql = postgres(ADMIN_DB_URL, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database ${dbName}`);
  await sql.end();
  return { kind, dir, configFile, adminToken, dbName, prefix: `tgbench:${dbName}` };
}

/** The database URL of a backing, optionally through another host:port (a counting relay). */
export function databaseUrl(backing: Backing, via?: string): string | undefined {
  if (!backing.dbName) return undefined;
  const url = new URL(ADMIN_DB_URL);
  if (via) url.host = via;
  url.pathname = `/${backing.dbName}`;
  return url.toString();
}

/**
 * Starts `next start` on a backing; `redisUrl` / `postgresVia` let a relay sit in between, and
 * `nodeArgs` go before the script (Node refuses --cpu-prof in NODE_OPTIONS).
 */
export async function startTollgate(
  backing: Backing,
  name: string,
  logDir: string,
  opts: { redisUrl?: string; postgresVia?: string; nodeArgs?: string[] } = {},
): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...baseEnv(),
    TOLLGATE_CONFIG: backing.configFile,
    TOLLGATE_ADMIN_TOKEN: backing.adminToken,
    TOLLGATE_DEMO: "off",
    NEXT_MANUAL_SIG_HANDLE: "true",
    BENCH_PROVIDER_KEY: "sk-bench",
  };
  if (backing.kind === "embedded") env.TOLLGATE_DATA_DIR = path.join(backing.dir, "data");
  else {
    env.DATABASE_URL = databaseUrl(backing, opts.postgresVia);
    env.REDIS_URL = opts.redisUrl ?? REDIS_URL;
    env.TOLLGATE_STORE_PREFIX = backing.prefix;
  }
  const args = [...(opts.nodeArgs ?? []), NEXT_BIN, "start", "-p", `${port}`, "-H", "127.0.0.1"];
  const server = spawnServer(name, url, args, {
    cwd: ROOT,
    env,
    logFile: path.join(logDir, `${name.replace(/\W+/g, "-")}.log`),
  });
  await waitUntil(server, async () => (await fetch(`${url}/api/ready`)).ok);
  return server;
}

/** A Tollgate target: the server plus a new tenant on the bench tier with one key. */
export async function asTarget(
  backing: Backing,
  server: Server,
  id: string,
  label: string,
): Promise<Tollgate> {
  const admin = (method: string, route: string, body?: unknown) =>
    fetch(`${server.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${backing.adminToken}`,
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const tenant = (await (await admin("POST", "/api/admin/tenants", { name: label })).json()) as {
    id: string;
  };
  const created = await admin("POST", `/api/admin/tenants/${tenant.id}/keys`, { name: "bench" });
  const { key } = (await created.json()) as { key: string };
  if (!key) throw new Error(`could not create a key on ${label}`);
  return {
    id,
    label,
    server,
    url: `${server.url}/v1/chat/completions`,
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    adminToken: backing.adminToken,
    tenantId: tenant.id,
    key,
    databaseUrl: databaseUrl(backing),
    configFile: backing.configFile,
    prefix: backing.prefix,
    admin,
  };
}

/**
 * Stops the servers, removes the config and data folder, drops the database and deletes every
 * Redis key under the prefix.
 */
export async function dropBacking(backing: Backing, servers: Server[]): Promise<void> {
  for (const server of servers) await stopServer(server);
  rmSync(backing.dir, { recursive: true, force: true });
  if (!backing.dbName || !backing.prefix) return;
  const sql = postgres(ADMIN_DB_URL, { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists ${backing.dbName} with (force)`);
  await sql.end();
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${backing.prefix}:*`, COUNT: 500 }))
      if (keys.length > 0) await client.del(keys);
  } finally {
    await client.quit();
  }
}
