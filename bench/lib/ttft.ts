import { Agent, request } from "node:http";
import { quantile } from "./load";
import { chatBody } from "./measure";
import type { Target } from "./targets";

/** Gaps the fake leaves between the events of a bench-slow stream (see fake-provider.mjs). */
const SLOW_GAPS = 8;
const SLOW_GAP_MS = 20;

export interface TtftFigure {
  target: string;
  requests: number;
  errors: number;
  /** From sending the request to the first byte of content. */
  ttftP50Ms: number;
  ttftP99Ms: number;
  /**
   * The fake's pauses the client saw as pauses, median over the streams: SLOW_GAPS when the
   * stream is passed on chunk by chunk (a single stream may lose one to a GC pause).
   */
  gapsSeen: number;
  gapsSent: number;
}

interface Timing {
  ttftMs: number;
  gaps: number;
}

/** One bench-slow stream: when the first content arrived and how many pauses came through. */
function oneStream(target: Target, agent: Agent): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let first = Number.NaN;
    let last = started;
    let gaps = 0;
    let text = "";
    const req = request(
      target.url,
      { method: "POST", headers: target.headers, agent, timeout: 10_000 },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`status ${res.statusCode}`));
          return;
        }
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          const now = performance.now();
          // A pause the fake made shows as a silence of most of its length between two reads.
          if (now - last > SLOW_GAP_MS / 2 && !Number.isNaN(first)) gaps++;
          last = now;
          text += chunk;
          if (Number.isNaN(first) && text.includes('"content":"The ')) first = now - started;
        });
        res.on("end", () =>
          Number.isNaN(first)
            ? reject(new Error("no content"))
            : resolve({ ttftMs: first, gaps: Math.min(gaps, SLOW_GAPS) }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(chatBody(true, "bench-slow"));
  });
}

/**
 * Streams `count` slow answers one after another through each target, interleaved (A B A B…), at
 * most `maxSeconds` in all: the time to first token, and whether each pause of the provider
 * reaches the client as a pause (chunk by chunk) or the stream arrives in one piece.
 */
export async function measureTtft(
  targets: Target[],
  count: number,
  maxSeconds: number,
): Promise<TtftFigure[]> {
  const agents = new Map(targets.map((t) => [t.id, new Agent({ keepAlive: true, maxSockets: 1 })]));
  const timings = new Map<string, Timing[]>(targets.map((t) => [t.id, []]));
  const errors = new Map<string, number>(targets.map((t) => [t.id, 0]));
  const deadline = performance.now() + maxSeconds * 1000;
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    for (const target of targets) {
      const agent = agents.get(target.id) as Agent;
      try {
        timings.get(target.id)?.push(await oneStream(target, agent));
      } catch {
        errors.set(target.id, (errors.get(target.id) ?? 0) + 1);
      }
    }
  }
  for (const agent of agents.values()) agent.destroy();
  return targets.map((target) => {
    const list = timings.get(target.id) ?? [];
    const ttfts = list.map((t) => t.ttftMs);
    return {
      target: target.id,
      requests: list.length,
      errors: errors.get(target.id) ?? 0,
      ttftP50Ms: quantile(ttfts, 0.5),
      ttftP99Ms: quantile(ttfts, 0.99),
      gapsSeen: list.length
        ? quantile(
            list.map((t) => t.gaps),
            0.5,
          )
        : 0,
      gapsSent: SLOW_GAPS,
    };
  });
}
