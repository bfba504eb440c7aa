import { quantile, runLoad } from "./load";
import { cpuMs, sampleRss } from "./proc";
import type { Target } from "./targets";

/** One way of calling: streamed or not, and how many connections at once. */
export interface Scenario {
  id: string;
  label: string;
  stream: boolean;
  connections: number;
}

export const SCENARIOS: Scenario[] = [
  { id: "json-c1", label: "JSON, 1 conn", stream: false, connections: 1 },
  { id: "json-c50", label: "JSON, 50 conn", stream: false, connections: 50 },
  { id: "sse-c1", label: "stream, 1 conn", stream: true, connections: 1 },
  { id: "sse-c50", label: "stream, 50 conn", stream: true, connections: 50 },
];

/** What one target did in one scenario, all rounds together. */
export interface Figure {
  target: string;
  scenario: string;
  requests: number;
  non2xx: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  peakRssMb: number;
}

/** The request every target gets: a short chat, the same bytes everywhere. */
export function chatBody(stream: boolean, model = "bench-fast"): string {
  return JSON.stringify({
    model,
    messages: [
      { role: "system", content: "You are a terse assistant." },
      { role: "user", content: "Name a colour and an animal." },
    ],
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

export interface Plan {
  rounds: number;
  durationS: number;
  /** Wait after each run before reading CPU: work left after the last response is counted. */
  settleMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends each target `requests` JSON calls and half as many streamed ones at 10 connections (at
 * most `maxSeconds` each), so that measured runs see compiled, optimised code and open pools: a
 * Next.js server needs a few thousand calls before its CPU per call settles (2–3× lower).
 */
export async function warmUp(targets: Target[], requests: number, maxSeconds = 30): Promise<void> {
  for (const target of targets) {
    for (const stream of [false, true]) {
      await runLoad({
        url: target.url,
        headers: target.headers,
        bearers: target.bearers,
        body: chatBody(stream),
        connections: 10,
        durationS: maxSeconds,
        amount: stream ? Math.ceil(requests / 2) : requests,
      });
    }
  }
}

/**
 * Runs every scenario on every target, interleaved: within a round each target runs once, and
 * rounds alternate the order (A B C, C B A, …), so drift of the machine falls on all alike. CPU is
 * the server process's own (user + system) over the run, divided by the responses it completed.
 */
export async function measure(
  targets: Target[],
  scenarios: Scenario[],
  plan: Plan,
  say: (line: string) => void,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const scenario of scenarios) {
    const acc = new Map(
      targets.map((t) => [
        t.id,
        { requests: 0, non2xx: 0, errors: 0, seconds: 0, cpu: 0, rss: 0, lat: [] as number[] },
      ]),
    );
    for (let round = 0; round < plan.rounds; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const a = acc.get(target.id);
        if (!a) continue;
        const cpuBefore = cpuMs(target.server.pid);
        const stopRss = sampleRss(target.server.pid);
        const run = await runLoad({
          url: target.url,
          headers: target.headers,
          bearers: target.bearers,
          body: chatBody(scenario.stream),
          connections: scenario.connections,
          durationS: plan.durationS,
        });
        await sleep(plan.settleMs);
        a.cpu += cpuMs(target.server.pid) - cpuBefore;
        a.rss = Math.max(a.rss, stopRss());
        a.requests += run.requests;
        a.non2xx += run.non2xx;
        a.errors += run.errors;
        a.seconds += run.durationS;
        for (const ms of run.latenciesMs) a.lat.push(ms);
        say(
          `  ${scenario.label.padEnd(16)} ${target.label.padEnd(34)} ${Math.round(run.requests / run.durationS)} req/s`,
        );
      }
    }
    for (const target of targets) {
      const a = acc.get(target.id);
      if (!a) continue;
      figures.push({
        target: target.id,
        scenario: scenario.id,
        requests: a.requests,
        non2xx: a.non2xx,
        errors: a.errors,
        rps: a.requests / a.seconds,
        p50Ms: quantile(a.lat, 0.5),
        p99Ms: quantile(a.lat, 0.99),
        cpuMsPerRequest: a.requests > 0 ? a.cpu / a.requests : Number.NaN,
        peakRssMb: a.rss,
      });
    }
  }
  return figures;
}
