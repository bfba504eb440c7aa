import { SCENARIOS } from "./measure";
import type { ProfileSummary } from "./profile";
import { type Results, verdicts } from "./results";
import {
  aligned,
  markdown,
  ms,
  ratioTable,
  scenarioTable,
  streamsTable,
  type Table,
  ttftTable,
} from "./tables";

function verdictTable(r: Results): Table {
  return [
    ["target", "measured", "met"],
    ...verdicts(r).map((v) => [
      v.goal,
      v.measured,
      v.met === null ? "not at this size" : v.met ? "yes" : "**no**",
    ]),
  ];
}

/** µs per request of each origin, Tollgate next to the bare handler, from their profiles. */
function originTable(p: ProfileSummary, bare?: ProfileSummary): Table {
  const perRequest = (s: ProfileSummary | undefined, name: string) => {
    const share = s?.areas.find((a) => a.name === name)?.percent ?? 0;
    return s?.requests ? (share / 100) * ((s.busyMs * 1000) / s.requests) : Number.NaN;
  };
  const us = (v: number) => (Number.isFinite(v) ? `${Math.round(v)}` : "–");
  const rows = p.areas
    .filter((a) => a.percent >= 0.3)
    .map((a) => {
      const t = perRequest(p, a.name);
      const b = perRequest(bare, a.name);
      return [a.name, us(t), us(b), us(t - (Number.isFinite(b) ? b : 0))];
    });
  const total = (s?: ProfileSummary) => (s?.requests ? (s.busyMs * 1000) / s.requests : Number.NaN);
  rows.push(["**all**", us(total(p)), us(total(bare)), us(total(p) - total(bare))]);
  return [["origin", "Tollgate µs/request", "bare µs/request", "Tollgate − bare"], ...rows];
}

function profileSection(p: ProfileSummary, bare?: ProfileSummary): string[] {
  const pct = (v: number) => `${v.toFixed(1)}%`;
  return [
    `Tollgate (Redis + Postgres) and the bare handler, each run under \`node --cpu-prof\` with JSON then streamed calls at 50 connections (${(p.requests ?? 0).toLocaleString("en-US")} and ${(bare?.requests ?? 0).toLocaleString("en-US")} requests); only the samples of those runs count, not start-up or warm-up. The profiler itself adds some CPU. Self time per request, by where the code comes from (origins under 0.3% left out):`,
    "",
    markdown(originTable(p, bare)),
    "",
    "Tollgate's functions by self time (share of its busy CPU):",
    "",
    markdown([
      ["function", "where", "origin", "share"],
      ...p.selfTop.map((f) => [f.name, f.where, f.area, pct(f.percent)]),
    ]),
    "",
    "Tollgate's own functions by total time (their callees included; time after an `await` is counted where it resumes):",
    "",
    markdown([
      ["function", "where", "share"],
      ...p.tollgateTotal.map((f) => [f.name, f.where, pct(f.percent)]),
    ]),
  ];
}

function scaleSections(r: Results): string[] {
  const out: string[] = [];
  if (r.tenants) {
    out.push(
      `### ${r.tenants.count.toLocaleString("en-US")} tenants and keys in the database`,
      "",
      `Inserted with SQL (hashes only) in ${r.tenants.insertSeconds.toFixed(1)} s, then measured interleaved: traffic on one key, and traffic spread over a tenth of the keys in turn, after one call on each (each key then calls less often than once a second, so most calls miss the 1 s key cache and read the key from Postgres).`,
      "",
    );
    for (const s of SCENARIOS.filter((s) => r.tenants?.figures.some((f) => f.scenario === s.id)))
      out.push(`**${s.label}**`, "", markdown(scenarioTable(r, s.id, r.tenants.figures)), "");
  }
  if (r.history) {
    const h = r.history;
    out.push(
      `### ${h.events.toLocaleString("en-US")} usage events for one tenant`,
      "",
      `Seeded by \`scripts/seed-usage.ts\` into the real Postgres in ${h.seedSeconds.toFixed(0)} s (seeding and its timings together). Medians of five runs after a warm-up:`,
      "",
      markdown([
        ["query", "median ms", "slowest ms"],
        ...[...h.queries, h.usageEndpoint].map((q) => [q.label, ms(q.medianMs), ms(q.maxMs)]),
      ]),
      "",
      `A call just after the tenant's budget counter was deleted from Redis (rebuilt from the month's ledger before admission): ${ms(h.rebuildCallMs)} ms, against ${ms(h.warmCallMs)} ms for the calls after it.`,
      "",
    );
    for (const s of SCENARIOS.filter((s) => h.figures.some((f) => f.scenario === s.id)))
      out.push(
        `**${s.label}**, this tenant's key next to a new tenant's`,
        "",
        markdown(scenarioTable(r, s.id, h.figures)),
        "",
      );
  }
  if (r.streams.length > 0) {
    const n = r.streams[0]?.streams ?? 0;
    out.push(
      `### ${n.toLocaleString("en-US")} open streams`,
      "",
      "Each server is started for this test and called 100 times first. Streams are opened as fast as the server takes them (at most 200 waiting for their first content at a time); the fake provider holds each for the hold time, a chunk a second, so they overlap. RSS is the server process's; KB per stream is (peak − before) ÷ the most streams open at once.",
      "",
      markdown(streamsTable(r)),
      "",
    );
  }
  return out;
}

/** The Markdown report: machine, tables, ratios, targets, scale figures, profile, and the notes. */
export function renderReport(r: Results, notes: string): string {
  const m = r.machine;
  const lines = [
    "# Tollgate benchmark",
    "",
    `Written by \`npm run bench\`${r.plan.quick ? " --quick" : ""} on ${m.date}, commit ${m.commit}, in ${Math.round(r.plan.elapsedS)} s, while other processes used ${r.plan.otherLoadPercent.toFixed(0)}% of the machine's CPU. Do not edit: run it again.${r.plan.quick ? "" : " The analysis at the end is kept by hand in `bench/notes.md`."}`,
    "",
    "## Machine",
    "",
    markdown([
      ["", ""],
      ["CPU", `${m.cpus} × ${m.cpuModel}`],
      ["memory", `${m.memoryGb} GB`],
      ["system", m.kernel],
      ["Node.js", m.node],
      ...Object.entries(m.versions),
    ]),
    "",
    "## Targets",
    "",
    markdown(verdictTable(r)),
    "",
    "## Per call",
    "",
    `Every server is its own process, called on 127.0.0.1 by autocannon with the same chat request; the fake provider answers at once (a stream: twelve events in one go). Each server first gets a few thousand calls, so its code is optimised (a Next.js server's CPU per call drops 2–3× over its first few thousand calls). Runs of ${r.plan.durationS} s, ${r.plan.rounds} per target and scenario, interleaved (A B C…, then …C B A). Latency is the whole response as the client sees it; "added" is over the fake provider called directly. CPU is the server process's user + system time over the run ÷ responses; peak RSS is sampled every 100 ms.`,
    "",
  ];
  for (const s of SCENARIOS) lines.push(`**${s.label}**`, "", markdown(scenarioTable(r, s.id)), "");
  lines.push("### Ratios", "", markdown(ratioTable(r)), "");
  lines.push(
    "### Time to first token",
    "",
    "A slow stream (the provider pauses 20 ms between events), one at a time: from sending the request to the first content, and how many of the provider's pauses the client saw as pauses, median over the streams (all of them: forwarded chunk by chunk).",
    "",
    markdown(ttftTable(r)),
    "",
  );
  if (r.heapCap) {
    lines.push(
      "### Memory",
      "",
      "The same Tollgate started again with `--max-old-space-size` set, measured interleaved with the default at 50 connections: what fills the default heap is garbage V8 has no reason to collect yet, not live data.",
      "",
    );
    for (const s of SCENARIOS.filter((s) => r.heapCap?.some((f) => f.scenario === s.id)))
      lines.push(`**${s.label}**`, "", markdown(scenarioTable(r, s.id, r.heapCap)), "");
  }
  if (r.hotPath) {
    const h = r.hotPath;
    lines.push(
      "### Round trips per request",
      "",
      `A separate Tollgate on the same Redis and Postgres, each through a relay that counts the client's writes (one write per round trip at one request at a time), ${h.requests.toLocaleString("en-US")} requests:`,
      "",
      markdown([
        ["round trips per request", "JSON", "stream"],
        ["Redis", h.redisPerRequest.json.toFixed(2), h.redisPerRequest.stream.toFixed(2)],
        [
          "Postgres, outside transactions (what a request could wait for)",
          h.postgresPerRequest.json.toFixed(3),
          h.postgresPerRequest.stream.toFixed(3),
        ],
        [
          "Postgres, inside transactions (batched usage writes, off the request's path)",
          h.postgresBatchedPerRequest.json.toFixed(3),
          h.postgresBatchedPerRequest.stream.toFixed(3),
        ],
      ]),
      "",
    );
  }
  lines.push("## Scale", "", ...scaleSections(r));
  if (r.profile)
    lines.push("## Where the CPU goes", "", ...profileSection(r.profile, r.bareProfile), "");
  // The notes read one full run; a quick run (smaller sizes, shorter runs) is not what they describe.
  const analysis = r.plan.quick
    ? "A quick run: 1,000 tenants, 20,000 usage events, 500 open streams, one short round per figure, so its figures are rougher than the full run's. The analysis of the full run is in [latest.md](latest.md)."
    : notes.trim();
  lines.push("## Analysis", "", analysis, "");
  return lines.join("\n");
}

/** What the terminal shows at the end of a run: the tables, the ratios and the targets. */
export function renderTerminal(r: Results): string {
  const out: string[] = [];
  for (const s of SCENARIOS) out.push(`\n${s.label}`, aligned(scenarioTable(r, s.id)));
  out.push("\nRatios", aligned(ratioTable(r)));
  out.push("\nTime to first token", aligned(ttftTable(r)));
  if (r.streams.length > 0) out.push("\nOpen streams", aligned(streamsTable(r)));
  out.push(
    "\nTargets",
    ...verdicts(r).map(
      (v) =>
        `  ${v.met === null ? "n/a   " : v.met ? "met   " : "MISSED"}  ${v.goal}: ${v.measured}`,
    ),
  );
  return `${out.join("\n")}\n`;
}
