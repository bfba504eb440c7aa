import { spawn } from "node:child_process";
import { createClient } from "redis";
import { quantile } from "./load";
import { chatBody } from "./measure";
import { baseEnv, ROOT } from "./targets";
import { REDIS_URL, type Tollgate } from "./tollgate";

export interface Timing {
  label: string;
  medianMs: number;
  maxMs: number;
}

export interface History {
  tenantId: string;
  events: number;
  seedSeconds: number;
  /** The dashboard's queries (from scripts/seed-usage.ts) and usageSummary. */
  queries: Timing[];
  /** Over HTTP with a key of the seeded tenant. */
  usageEndpoint: Timing;
  /** The first call after the tenant's budget counter was lost: rebuilt from the ledger. */
  rebuildCallMs: number;
  /** The calls after it, for comparison. */
  warmCallMs: number;
  key: string;
}

/** Runs a TypeScript script of the repo (tsx resolves its `@/` imports); returns its JSON lines. */
function runScript(
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<object[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], {
      cwd: ROOT,
      env: { ...baseEnv(), ...env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${args[0]} exited with ${code}: ${err}`));
      const lines = out.split("\n").filter((l) => l.startsWith("{"));
      resolve(lines.map((l) => JSON.parse(l) as object));
    });
  });
}

async function timeCall(call: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const res = await call();
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`status ${res.status}`);
  return performance.now() - started;
}

/**
 * Gives a new tenant `events` usage events (scripts/seed-usage.ts, which also times the usage
 * page's queries and the overview), times usageSummary on them, then through the running
 * Tollgate: GET /v1/usage, and a call right after the tenant's budget counter was deleted from
 * Redis (the counter is rebuilt from the month's ledger) against the calls after it.
 */
export async function seedHistory(tollgate: Tollgate, events: number): Promise<History> {
  if (!tollgate.databaseUrl) throw new Error("the history figures need Postgres");
  const env = { DATABASE_URL: tollgate.databaseUrl, TOLLGATE_CONFIG: tollgate.configFile };
  const started = performance.now();
  const lines = (await runScript(
    ["scripts/seed-usage.ts", "--events", String(events)],
    env,
    15 * 60_000,
  )) as Array<{ step: string; tenantId?: string } & Partial<Timing>>;
  const seedSeconds = (performance.now() - started) / 1000;
  const tenantId = lines.find((l) => l.step === "tenant")?.tenantId;
  if (!tenantId) throw new Error("seed-usage.ts named no tenant");
  const queries = lines
    .filter((l) => l.step === "timing")
    .map((l) => ({ label: l.label ?? "", medianMs: l.medianMs ?? 0, maxMs: l.maxMs ?? 0 }));
  // The database client logs to stdout too: keep only the timing line.
  const summary = (
    (await runScript(["bench/usage-summary-timing.ts", tenantId], env, 120_000)) as Timing[]
  ).filter((l) => l.label === "usageSummary");
  queries.push(...summary);

  const created = await tollgate.admin("POST", `/api/admin/tenants/${tenantId}/keys`, {
    name: "bench history",
  });
  const { key } = (await created.json()) as { key: string };
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const base = tollgate.url.replace("/chat/completions", "");
  const usage: number[] = [];
  for (let i = 0; i < 6; i++) usage.push(await timeCall(() => fetch(`${base}/usage`, { headers })));
  usage.shift();

  const chat = () => fetch(tollgate.url, { method: "POST", headers, body: chatBody(false) });
  await timeCall(chat);
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({
      MATCH: `${tollgate.prefix}:b:*:t:${tenantId}*`,
      COUNT: 500,
    }))
      if (keys.length > 0) await redis.del(keys);
  } finally {
    await redis.quit();
  }
  const rebuildCallMs = await timeCall(chat);
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) warm.push(await timeCall(chat));
  return {
    tenantId,
    events,
    seedSeconds,
    queries,
    usageEndpoint: {
      label: "GET /v1/usage",
      medianMs: quantile(usage, 0.5),
      maxMs: Math.max(...usage),
    },
    rebuildCallMs,
    warmCallMs: quantile(warm, 0.5),
    key,
  };
}
