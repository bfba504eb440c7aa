import type { History } from "./history";
import type { Machine } from "./machine";
import type { Figure } from "./measure";
import type { ProfileSummary } from "./profile";
import type { HeldStreams } from "./streams";
import type { TtftFigure } from "./ttft";

/** Round trips to the stores per request, counted by relays at one connection. */
export interface HotPath {
  requests: number;
  redisPerRequest: { json: number; stream: number };
  /** Outside transactions: key re-checks and any other read a request may wait for. */
  postgresPerRequest: { json: number; stream: number };
  /** Inside transactions: the usage recorder's batched writes, off every request's path. */
  postgresBatchedPerRequest: { json: number; stream: number };
}

/** Everything one `npm run bench` measured, as the report is written from it. */
export interface Results {
  machine: Machine;
  plan: {
    quick: boolean;
    rounds: number;
    durationS: number;
    elapsedS: number;
    /** Share of the machine's CPU used by processes other than the benchmark's while it ran. */
    otherLoadPercent: number;
  };
  /** Target id → label, in the order of the table. */
  labels: Record<string, string>;
  figures: Figure[];
  ttft: TtftFigure[];
  hotPath?: HotPath;
  /** Tollgate (Redis + Postgres) with and without a capped old generation, at 50 connections. */
  heapCap?: Figure[];
  profile?: ProfileSummary;
  /** The bare handler under the same load, for what the framework costs by itself. */
  bareProfile?: ProfileSummary;
  streams: HeldStreams[];
  tenants?: { count: number; insertSeconds: number; figures: Figure[] };
  history?: History & { figures: Figure[] };
}

export const TOLLGATES = ["tollgate-embedded", "tollgate-redis"] as const;

export function figureOf(r: Results, target: string, scenario: string): Figure | undefined {
  return r.figures.find((f) => f.target === target && f.scenario === scenario);
}

/** One goal of the issue, what was measured for it, and whether it holds. */
export interface Verdict {
  goal: string;
  measured: string;
  /** null: not measured at the goal's size (a quick run). */
  met: boolean | null;
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
const x = (v: number) => `${v.toFixed(2)}×`;

/** The targets, each checked against the figures (worst case over scenarios). */
export function verdicts(r: Results): Verdict[] {
  const out: Verdict[] = [];
  const pairs = (scenarios: string[]) =>
    TOLLGATES.flatMap((t) => scenarios.map((s) => ({ t, s, f: figureOf(r, t, s) }))).filter(
      (p) => p.f,
    );
  const all = ["json-c1", "json-c50", "sse-c1", "sse-c50"];
  const worst = (values: Array<{ v: number; at: string }>) =>
    values.reduce((a, b) => (b.v > a.v ? b : a), { v: Number.NEGATIVE_INFINITY, at: "" });
  const label = (t: string, s: string) => `${r.labels[t] ?? t}, ${s}`;

  const cpu = (base: string) =>
    worst(
      pairs(all).map(({ t, s, f }) => ({
        v: (f?.cpuMsPerRequest ?? 0) / (figureOf(r, base, s)?.cpuMsPerRequest ?? Number.NaN),
        at: label(t, s),
      })),
    );
  const bare = cpu("bare");
  out.push({
    goal: "CPU per request at most 1.3× the bare forwarding handler",
    measured: `worst ${x(bare.v)} (${bare.at})`,
    met: bare.v <= 1.3,
  });
  const portkey = cpu("portkey");
  out.push({
    goal: "CPU per request below Portkey's",
    measured: `worst ${x(portkey.v)} of Portkey's (${portkey.at})`,
    met: portkey.v < 1,
  });

  for (const [q, limit] of [
    ["p50Ms", 1],
    ["p99Ms", 5],
  ] as const) {
    const w = worst(
      pairs(["json-c1", "sse-c1"]).map(({ t, s, f }) => ({
        v: (f?.[q] ?? 0) - (figureOf(r, "bare", s)?.[q] ?? Number.NaN),
        at: label(t, s),
      })),
    );
    out.push({
      goal: `Latency added over the bare handler at one connection: ${q.slice(0, 3)} at most ${limit} ms`,
      measured: `worst +${ms(w.v)} (${w.at})`,
      met: w.v <= limit,
    });
  }

  const direct = r.ttft.find((t) => t.target === "direct");
  const ttft = worst(
    r.ttft
      .filter((t) => (TOLLGATES as readonly string[]).includes(t.target))
      .map((t) => ({
        v: t.ttftP50Ms - (direct?.ttftP50Ms ?? Number.NaN),
        at: r.labels[t.target] ?? "",
      })),
  );
  const chunked = r.ttft
    .filter((t) => (TOLLGATES as readonly string[]).includes(t.target))
    .every((t) => t.gapsSeen === t.gapsSent && t.errors === 0);
  out.push({
    goal: "Streams forwarded chunk by chunk, at most 5 ms added to the time to first token",
    measured: `+${ms(ttft.v)} p50 over the direct call (${ttft.at}); ${chunked ? "every pause of the provider arrived as a pause" : "chunks were held back or merged"}`,
    met: ttft.v <= 5 && chunked,
  });

  const rss = worst(
    pairs(["json-c50", "sse-c50"]).map(({ t, s, f }) => ({
      v: f?.peakRssMb ?? 0,
      at: label(t, s),
    })),
  );
  out.push({
    goal: "Peak RSS at 50 connections at most 400 MB",
    measured: `worst ${Math.round(rss.v)} MB (${rss.at})`,
    met: rss.v <= 400,
  });

  const held = r.streams.find((s) => s.target === "tollgate-redis");
  if (held) {
    out.push({
      goal: "5,000 open streams without errors",
      measured: `${held.peakOpen.toLocaleString("en-US")} open at once of ${held.streams.toLocaleString("en-US")}; ${held.completed.toLocaleString("en-US")} completed, ${held.errors} errors`,
      met:
        held.streams < 5000
          ? null
          : held.peakOpen >= 5000 && held.errors === 0 && held.completed === held.streams,
    });
  }
  if (r.hotPath) {
    const h = r.hotPath;
    const redis = Math.max(h.redisPerRequest.json, h.redisPerRequest.stream);
    const pg = Math.max(h.postgresPerRequest.json, h.postgresPerRequest.stream);
    const batched = Math.max(h.postgresBatchedPerRequest.json, h.postgresBatchedPerRequest.stream);
    // Round to a tenth: a command sent once a second, not per request, must not read as a 4th.
    out.push({
      goal: "At most three round trips to Redis per request, none to Postgres on the hot path",
      measured: `Redis ${redis.toFixed(2)} per request; Postgres ${pg.toFixed(3)} per request outside usage batches (${batched.toFixed(3)} in them)`,
      met: Math.round(redis * 10) / 10 <= 3 && pg < 0.05,
    });
  }
  return out;
}
