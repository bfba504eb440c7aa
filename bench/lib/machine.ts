import { execFileSync } from "node:child_process";
import os from "node:os";
import postgres from "postgres";
import { createClient } from "redis";
import { packageVersion, ROOT } from "./targets";
import { ADMIN_DB_URL, REDIS_URL } from "./tollgate";

/** What the figures were measured on, for the report's header. */
export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  kernel: string;
  node: string;
  versions: Record<string, string>;
  commit: string;
}

async function redisVersion(): Promise<string> {
  const client = createClient({ url: REDIS_URL });
  try {
    await client.connect();
    const info = await client.info("server");
    return info.match(/redis_version:(\S+)/)?.[1] ?? "?";
  } catch {
    return "unreachable";
  } finally {
    if (client.isOpen) await client.quit();
  }
}

async function postgresVersion(): Promise<string> {
  const sql = postgres(ADMIN_DB_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
    return row?.v ?? "?";
  } catch {
    return "unreachable";
  } finally {
    await sql.end();
  }
}

function gitCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "lib", "app", "db"], {
      cwd: ROOT,
    }).toString();
    return `${head.trim()}${dirty.trim() ? " (with uncommitted changes in lib/, app/ or db/)" : ""}`;
  } catch {
    return "?";
  }
}

export async function describeMachine(): Promise<Machine> {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "?",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    versions: {
      Next: packageVersion("next"),
      "Portkey gateway": packageVersion("@portkey-ai/gateway"),
      "@hono/node-server": packageVersion("@hono/node-server"),
      autocannon: packageVersion("autocannon"),
      PGlite: packageVersion("@electric-sql/pglite"),
      Redis: await redisVersion(),
      PostgreSQL: await postgresVersion(),
    },
    commit: gitCommit(),
  };
}
