// `npm run bench`: what the gateway adds to each call, next to what a user would run instead.
//
// Starts a fake provider, a bare Next.js forwarding handler, Portkey's gateway and Tollgate (on the
// embedded defaults and on Redis + Postgres), measures them interleaved, then the scale figures,
// and writes bench/results/latest.md. `npm run bench -- --help` lists the options.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { HEAP_CAP_MB, measureHeapCap } from "./lib/heap-cap";
import { describeMachine } from "./lib/machine";
import { measure, SCENARIOS, warmUp } from "./lib/measure";
import { parseOptions } from "./lib/options";
import { probeHotPath, profileBare, scaleHistory, scaleTenants } from "./lib/phases";
import { machineBusyMs, ownCpuMs, stopServer } from "./lib/proc";
import { renderReport, renderTerminal } from "./lib/report";
import type { Results } from "./lib/results";
import { holdStreamsOnFreshServers } from "./lib/streams";
import { ensureBuilds, ROOT, startBare, startFakeProvider, startPortkey } from "./lib/targets";
import { asTarget, createBacking, dropBacking, startTollgate } from "./lib/tollgate";
import { measureTtft } from "./lib/ttft";

const say = (line: string) => process.stdout.write(`${line}\n`);
const RAW_DIR = path.join(ROOT, "bench/results/raw");

/** Writes the Markdown report with the current bench/notes.md and prints the tables. */
function publish(results: Results, out: string): void {
  const notesFile = path.join(ROOT, "bench/notes.md");
  const notes = existsSync(notesFile) ? readFileSync(notesFile, "utf8") : "";
  writeFileSync(path.join(ROOT, out), renderReport(results, notes));
  process.stdout.write(renderTerminal(results));
  say(`\nreport: ${out}; logs, profile and raw figures: bench/results/raw/`);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.reportOnly) {
    const raw = readFileSync(path.join(RAW_DIR, "results.jsonl"), "utf8");
    return publish(JSON.parse(raw) as Results, opts.out);
  }
  const started = performance.now();
  // Logs, profiles and raw figures of this run only.
  const rawDir = RAW_DIR;
  rmSync(rawDir, { recursive: true, force: true });
  mkdirSync(rawDir, { recursive: true });
  ensureBuilds(opts.rebuild, say);
  const machine = await describeMachine();
  // What other processes use while this runs: the figures are only as quiet as the machine.
  const busyAtStart = machineBusyMs();
  const ownAtStart = ownCpuMs();
  const plan = { rounds: opts.rounds, durationS: opts.durationS, settleMs: 400 };
  // Secondary comparisons (heap cap, tenants, history) run once each, to keep the whole short.
  const once = { ...plan, rounds: 1 };

  // Undone in reverse order, also on Ctrl-C: servers stopped, database dropped, Redis keys gone.
  const undo: Array<() => Promise<void>> = [];
  let cleaning: Promise<void> | null = null;
  const cleanUp = () => {
    cleaning ??= (async () => {
      for (const step of undo.reverse()) await step().catch(() => {});
    })();
    return cleaning;
  };
  process.once("SIGINT", () => {
    say("\ninterrupted: cleaning up");
    void cleanUp().then(() => process.exit(130));
  });

  try {
    say("starting the fake provider, the bare Next.js app, Portkey and Tollgate ×2");
    const fake = await startFakeProvider(rawDir, opts.holdMs);
    undo.push(() => stopServer(fake.server));
    const providerUrl = fake.server.url;
    const bare = await startBare(rawDir, providerUrl);
    undo.push(() => stopServer(bare.server));
    const portkey = await startPortkey(rawDir, providerUrl);
    undo.push(() => stopServer(portkey.server));
    const embedded = await createBacking("embedded", rawDir, providerUrl);
    const embeddedServer = await startTollgate(embedded, "tollgate-embedded", rawDir);
    undo.push(() => dropBacking(embedded, [embeddedServer]));
    const redis = await createBacking("redis", rawDir, providerUrl);
    undo.push(() => dropBacking(redis, []));
    const redisServer = await startTollgate(redis, "tollgate-redis", rawDir);
    undo.push(() => stopServer(redisServer));
    const tEmbedded = await asTarget(
      embedded,
      embeddedServer,
      "tollgate-embedded",
      "Tollgate (PGlite + memory)",
    );
    const tRedis = await asTarget(
      redis,
      redisServer,
      "tollgate-redis",
      "Tollgate (Redis + Postgres)",
    );
    const targets = [fake, bare, portkey, tEmbedded, tRedis];

    say(
      `warming up: ${opts.warmupRequests} JSON and ${opts.warmupRequests / 2} streamed calls each`,
    );
    await warmUp(targets, opts.warmupRequests);
    say("measuring, interleaved");
    const figures = await measure(targets, SCENARIOS, plan, say);
    say("measuring the time to first token (slow streams, one at a time)");
    const ttft = await measureTtft(targets, opts.ttftStreams, 90);
    say(`the same Tollgate with its heap capped at ${HEAP_CAP_MB} MB`);
    const heapCap = await measureHeapCap(redis, tRedis, rawDir, opts.warmupRequests, once, say);
    say("round trips per request and a profile");
    const { hotPath, profile } = await probeHotPath(redis, rawDir, opts, say);
    say("the same profile of the bare handler");
    const bareProfile = await profileBare(providerUrl, rawDir, opts);

    const results: Results = {
      machine,
      plan: {
        quick: opts.quick,
        rounds: opts.rounds,
        durationS: opts.durationS,
        elapsedS: 0,
        otherLoadPercent: 0,
      },
      labels: Object.fromEntries(targets.map((t) => [t.id, t.label])),
      figures,
      ttft,
      hotPath,
      heapCap,
      profile,
      bareProfile,
      streams: [],
    };
    if (opts.scale) {
      say("open streams, each on a server started for it");
      results.streams = await holdStreamsOnFreshServers(redis, providerUrl, rawDir, opts, say);
      say(`${opts.tenants.toLocaleString("en-US")} tenants`);
      results.tenants = await scaleTenants(tRedis, opts, once, say);
      say("usage history");
      results.history = await scaleHistory(tRedis, opts, once, say);
      const n = (v: number) => v.toLocaleString("en-US");
      results.labels["tollgate-redis-many"] =
        `Tollgate (Redis + Postgres), over ${n(Math.round(opts.tenants / 10))} keys`;
      results.labels["tollgate-redis-history"] =
        `Tollgate (Redis + Postgres), tenant with ${n(opts.events)} events`;
    }
    results.plan.elapsedS = (performance.now() - started) / 1000;
    const others = machineBusyMs() - busyAtStart - (ownCpuMs() - ownAtStart);
    results.plan.otherLoadPercent =
      (100 * Math.max(0, others)) / (results.plan.elapsedS * 1000 * machine.cpus);
    results.labels["tollgate-redis-capped"] =
      `Tollgate (Redis + Postgres), heap capped at ${HEAP_CAP_MB} MB`;

    writeFileSync(path.join(rawDir, "results.jsonl"), `${JSON.stringify(results)}\n`);
    publish(results, opts.out);
  } finally {
    await cleanUp();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
