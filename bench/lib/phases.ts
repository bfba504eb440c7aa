import { existsSync } from "node:fs";
import path from "node:path";
import { seedHistory } from "./history";
import { runLoad } from "./load";
import { chatBody, type Figure, measure, type Plan, SCENARIOS, warmUp } from "./measure";
import type { Options } from "./options";
import { stopServer } from "./proc";
import { monotonicUs, type ProfileSummary, summariseProfile } from "./profile";
import { startRelay } from "./relay";
import type { HotPath, Results } from "./results";
import { ROOT, startBare, type Target } from "./targets";
import { insertTenants } from "./tenants";
import {
  ADMIN_DB_URL,
  asTarget,
  type Backing,
  REDIS_URL,
  startTollgate,
  type Tollgate,
} from "./tollgate";

type Say = (line: string) => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hostPort = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol.startsWith("redis") ? "6379" : "5432")}`;
};

/**
 * A separate Tollgate on the same Redis and Postgres, each reached through a counting relay and
 * run under `--cpu-prof`: round trips per request at one connection, then a profile of the
 * 50-connection runs (only their samples are summarised).
 */
export async function probeHotPath(
  backing: Backing,
  logDir: string,
  opts: Options,
  say: Say,
): Promise<{ hotPath: HotPath; profile?: ProfileSummary }> {
  const redis = await startRelay(hostPort(REDIS_URL));
  const pg = await startRelay(hostPort(ADMIN_DB_URL));
  const profileName = "tollgate.cpuprofile";
  const server = await startTollgate(backing, "tollgate-probe", logDir, {
    redisUrl: `redis://${redis.hostPort}`,
    postgresVia: pg.hostPort,
    nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${logDir}`, `--cpu-prof-name=${profileName}`],
  });
  try {
    const target = await asTarget(backing, server, "tollgate-probe", "Tollgate (probe)");
    await warmUp([target], opts.warmupRequests);
    const perRequest = {
      redis: { json: 0, stream: 0 },
      pg: { json: 0, stream: 0 },
      batched: { json: 0, stream: 0 },
    };
    let requests = 0;
    for (const stream of [false, true]) {
      await sleep(500);
      const [r0, p0, b0] = [redis.writes(), pg.writes(), pg.transactionWrites()];
      const run = await runLoad({ ...load(target, stream, 1), durationS: opts.durationS });
      // Usage is flushed within 200 ms: wait for it, so its writes are counted with the run.
      await sleep(500);
      const kind = stream ? "stream" : "json";
      perRequest.redis[kind] = (redis.writes() - r0) / run.requests;
      const batched = pg.transactionWrites() - b0;
      perRequest.pg[kind] = (pg.writes() - p0 - batched) / run.requests;
      perRequest.batched[kind] = batched / run.requests;
      requests += run.requests;
    }
    say("  profiling Tollgate at 50 connections");
    const profile = await profileRuns(target, path.join(logDir, profileName), opts);
    return {
      hotPath: {
        requests,
        redisPerRequest: perRequest.redis,
        postgresPerRequest: perRequest.pg,
        postgresBatchedPerRequest: perRequest.batched,
      },
      profile,
    };
  } finally {
    await stopServer(server);
    await redis.close();
    await pg.close();
  }
}

/**
 * Runs JSON then streamed calls at 50 connections against a server started with --cpu-prof,
 * stops it (the profile is written at exit) and summarises the samples of those runs only.
 */
async function profileRuns(
  target: Target,
  file: string,
  opts: Options,
): Promise<ProfileSummary | undefined> {
  const window = { fromUs: monotonicUs(), toUs: 0 };
  let requests = 0;
  for (const stream of [false, true])
    requests += (await runLoad({ ...load(target, stream, 50), durationS: opts.durationS * 1.5 }))
      .requests;
  window.toUs = monotonicUs();
  await stopServer(target.server);
  return existsSync(file) ? { ...summariseProfile(file, ROOT, window), requests } : undefined;
}

/** The same profile of the bare Next.js handler: the framework's own share of each call. */
export async function profileBare(
  providerUrl: string,
  logDir: string,
  opts: Options,
): Promise<ProfileSummary | undefined> {
  const name = "bare-next.cpuprofile";
  const args = ["--cpu-prof", `--cpu-prof-dir=${logDir}`, `--cpu-prof-name=${name}`];
  const bare = await startBare(logDir, providerUrl, args);
  try {
    await warmUp([bare], opts.warmupRequests);
    return await profileRuns(bare, path.join(logDir, name), opts);
  } finally {
    await stopServer(bare.server);
  }
}

const load = (t: Target, stream: boolean, connections: number) => ({
  url: t.url,
  headers: t.headers,
  body: chatBody(stream),
  connections,
});

const scenarios = (...ids: string[]) => SCENARIOS.filter((s) => ids.includes(s.id));

/**
 * Many tenants: `opts.tenants` tenants and keys inserted with SQL, then the same calls on one key
 * and spread over a tenth of the keys (each then calls less often than the key cache lasts).
 */
export async function scaleTenants(
  tollgate: Tollgate,
  opts: Options,
  plan: Plan,
  say: Say,
): Promise<NonNullable<Results["tenants"]>> {
  if (!tollgate.databaseUrl) throw new Error("scale figures need Postgres");
  const { secrets, seconds } = await insertTenants(tollgate.databaseUrl, opts.tenants, "bench");
  const spread = secrets.slice(0, Math.max(1, Math.round(opts.tenants / 10)));
  const many: Tollgate = {
    ...tollgate,
    id: "tollgate-redis-many",
    label: "Tollgate (Redis + Postgres), many keys",
    bearers: spread,
  };
  // Each key's first call of the month builds its tenant's counters; steady state is measured.
  await runLoad({ ...load(many, false, 20), amount: spread.length, durationS: 120 });
  const one = { ...tollgate, label: `${tollgate.label}, one key` };
  say(`  ${opts.tenants} tenants inserted in ${seconds.toFixed(1)} s`);
  const figures = await measure(
    [one, many],
    scenarios("json-c1", "json-c50", "sse-c50"),
    plan,
    say,
  );
  return { count: opts.tenants, insertSeconds: seconds, figures };
}

/** Long history: one tenant with `opts.events` usage events; its queries and its calls. */
export async function scaleHistory(
  tollgate: Tollgate,
  opts: Options,
  plan: Plan,
  say: Say,
): Promise<NonNullable<Results["history"]>> {
  say(`  seeding ${opts.events.toLocaleString("en-US")} usage events`);
  const history = await seedHistory(tollgate, opts.events);
  const seeded: Tollgate = {
    ...tollgate,
    id: "tollgate-redis-history",
    label: "Tollgate (Redis + Postgres), long history",
    headers: { ...tollgate.headers, authorization: `Bearer ${history.key}` },
  };
  const figures: Figure[] = await measure(
    [tollgate, seeded],
    scenarios("json-c1", "json-c50"),
    plan,
    say,
  );
  return { ...history, figures };
}
