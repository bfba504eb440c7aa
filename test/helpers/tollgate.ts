import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createClient } from "redis";
import { stringify } from "yaml";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const ADMIN_DB_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * What the server under test runs on: real Postgres and Redis (default), or the embedded defaults
 * (PGlite and the in-memory store).
 */
export const TEST_DB: "postgres" | "pglite" =
  process.env.TOLLGATE_TEST_DB === "pglite" ? "pglite" : "postgres";

/** What instances started with `shareWith` have in common: config, database and store prefix. */
interface Shared {
  dir: string;
  configFile: string;
  adminToken: string;
  dbName: string;
  dbEnv: Record<string, string>;
}

export interface Tollgate {
  url: string;
  adminToken: string;
  shared: Shared;
  /** Everything the server printed, stdout and stderr, for log assertions. */
  output: () => string;
  stop(): Promise<void>;
  /** Sends SIGTERM and waits for the process to exit; resolves with its exit code. */
  terminate(): Promise<number | null>;
  /** Runs a query on the server's database; with PGlite only once the server has exited. */
  query<T = Record<string, unknown>>(text: string): Promise<T[]>;
  /** Calls the admin API with the admin token. */
  admin(method: string, route: string, body?: unknown): Promise<Response>;
  /** Creates a tenant on a tier and a key for it. */
  createTenantWithKey(
    tier: string,
    name?: string,
  ): Promise<{ tenantId: string; keyId: string; key: string }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Starts the production build (`next start`) with the given config, on a database of its own: a
 * new Postgres database dropped at stop, or a new PGlite directory. Requires `next build` first.
 */
export async function startTollgate(
  config: object,
  env: Record<string, string> = {},
  shareWith?: Tollgate,
): Promise<Tollgate> {
  const shared = shareWith?.shared ?? (await createShared(config));
  const { dir, configFile, adminToken, dbName, dbEnv } = shared;
  const port = await freePort();

  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: "",
        TOLLGATE_CONFIG: configFile,
        TOLLGATE_ADMIN_TOKEN: adminToken,
        TOLLGATE_DEMO: "off",
        NEXT_MANUAL_SIG_HANDLE: "true",
        // The test configs name these variables for the provider keys; a test may pass its own.
        TEST_OPENAI_KEY: "sk-test-openai",
        TEST_ANTHROPIC_KEY: "sk-ant-test",
        LOG_LEVEL: "debug",
        ...dbEnv,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForReady(url, child, () => output);

  const admin = (method: string, route: string, body?: unknown) =>
    fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const terminate = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    }
    return child.exitCode;
  };

  return {
    url,
    adminToken,
    shared,
    output: () => output,
    admin,
    async createTenantWithKey(tier, name = "Acme") {
      const tenant = (await (await admin("POST", "/api/admin/tenants", { name, tier })).json()) as {
        id: string;
      };
      const res = await admin("POST", `/api/admin/tenants/${tenant.id}/keys`, { name: "test key" });
      const key = (await res.json()) as { id: string; key: string };
      return { tenantId: tenant.id, keyId: key.id, key: key.key };
    },
    terminate,
    async query<T>(text: string): Promise<T[]> {
      if (dbEnv.DATABASE_URL) {
        const sql = postgres(dbEnv.DATABASE_URL, { max: 1, onnotice: () => {} });
        try {
          return (await sql.unsafe(text)) as unknown as T[];
        } finally {
          await sql.end();
        }
      }
      const { PGlite } = await import("@electric-sql/pglite");
      const db = new PGlite(path.join(dbEnv.TOLLGATE_DATA_DIR ?? "", "pglite"));
      try {
        return (await db.query<T>(text)).rows;
      } finally {
        await db.close();
      }
    },
    async stop() {
      await terminate();
      if (shareWith) return;
      if (TEST_DB === "postgres") {
        const sql = postgres(ADMIN_DB_URL, { max: 1, onnotice: () => {} });
        await sql.unsafe(`drop database if exists ${dbName} with (force)`);
        await sql.end();
        await deleteStoreKeys(dbEnv.TOLLGATE_STORE_PREFIX ?? "");
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`tollgate exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/api/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`tollgate did not become ready within 60 s:\n${output()}`);
}

async function createShared(config: object): Promise<Shared> {
  const dir = mkdtempSync(path.join(tmpdir(), "tollgate-test-"));
  const configFile = path.join(dir, "tollgate.config.yaml");
  writeFileSync(configFile, stringify(config));
  const adminToken = `admin-${Math.random().toString(36).slice(2)}`;
  const dbName = `tollgate_test_${process.pid}_${Date.now().toString(36)}`;
  const dbEnv: Record<string, string> = {};
  if (TEST_DB === "postgres") {
    const sql = postgres(ADMIN_DB_URL, { max: 1, onnotice: () => {} });
    await sql.unsafe(`create database ${dbName}`);
    await sql.end();
    dbEnv.DATABASE_URL = ADMIN_DB_URL.replace(/\/[^/]*$/, `/${dbName}`);
    // Real Redis, under a prefix of this test's own, removed at stop.
    dbEnv.REDIS_URL = TEST_REDIS_URL;
    dbEnv.TOLLGATE_STORE_PREFIX = `tgtest:${dbName}`;
  } else {
    dbEnv.TOLLGATE_DATA_DIR = path.join(dir, "data");
  }
  return { dir, configFile, adminToken, dbName, dbEnv };
}

/** Deletes every key under a test's prefix from the shared Redis. */
async function deleteStoreKeys(prefix: string): Promise<void> {
  if (!prefix) return;
  const client = createClient({ url: TEST_REDIS_URL });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await client.quit();
  }
}
