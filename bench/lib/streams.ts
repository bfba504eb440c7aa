import { Agent, type ClientRequest, request } from "node:http";
import { runLoad } from "./load";
import { chatBody } from "./measure";
import { cpuMs, rssMb, stopServer } from "./proc";
import { startBare, startPortkey, type Target } from "./targets";
import { asTarget, type Backing, startTollgate } from "./tollgate";

export interface HeldStreams {
  target: string;
  streams: number;
  /** Streams whose first content arrived. */
  opened: number;
  /** Streams that ended with `data: [DONE]` and no error event. */
  completed: number;
  errors: number;
  /** Error kinds and how many of each (status codes, socket errors), for the report. */
  errorKinds: Record<string, number>;
  /** From the first request to the last stream's first content. */
  openAllMs: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** (peak − before) ÷ streams. */
  kbPerStream: number;
  cpuMsPerStream: number;
}

/** Streams are started in batches, as a crowd of clients would arrive within about a second. */
const BATCH = 250;
const BATCH_EVERY_MS = 50;

/**
 * Opens `count` bench-hold streams at once against a target (the fake streams each for the hold
 * time, a chunk a second) and holds them to the end: errors, memory and CPU per open stream.
 * Bounded: whatever is still open `holdMs` + 60 s after the start is cut and counted as an error.
 */
export async function holdStreams(
  target: Target,
  count: number,
  holdMs: number,
): Promise<HeldStreams> {
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const pid = target.server.pid;
  const rssBefore = rssMb(pid);
  const cpuBefore = cpuMs(pid);
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 200);
  const errorKinds: Record<string, number> = {};
  const fail = (kind: string) => {
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  let opened = 0;
  let completed = 0;
  let settled = 0;
  let lastOpenAt = 0;
  const started = performance.now();
  const requests: ClientRequest[] = [];
  const body = chatBody(true, "bench-hold");

  const done = new Promise<void>((resolve) => {
    const settle = () => {
      if (++settled === count) resolve();
    };
    const one = () => {
      let first = false;
      let text = "";
      const req = request(target.url, { method: "POST", headers: target.headers, agent }, (res) => {
        if (res.statusCode !== 200) fail(`status ${res.statusCode}`);
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          // Only the end of the stream matters after the first content: keep the tail.
          text = (text + chunk).slice(-4096);
          if (!first && text.includes('"content":"')) {
            first = true;
            opened++;
            lastOpenAt = performance.now();
          }
        });
        res.on("end", () => {
          if (res.statusCode === 200 && text.includes("[DONE]") && !text.includes('"error"'))
            completed++;
          else if (res.statusCode === 200) fail("stream ended without [DONE] or with an error");
          settle();
        });
        res.on("error", () => {
          fail("response cut");
          settle();
        });
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        fail(err.code ?? err.message);
        settle();
      });
      req.end(body);
      requests.push(req);
    };
    let sent = 0;
    const launch = setInterval(() => {
      for (let i = 0; i < BATCH && sent < count; i++, sent++) one();
      if (sent >= count) clearInterval(launch);
    }, BATCH_EVERY_MS);
  });

  const guard = new Promise<void>((resolve) => setTimeout(resolve, holdMs + 60_000).unref());
  await Promise.race([done, guard]);
  for (const req of requests) req.destroy();
  clearInterval(sampler);
  agent.destroy();
  const errors = Object.values(errorKinds).reduce((a, b) => a + b, 0) + (count - settled);
  if (count > settled) errorKinds["still open at the deadline"] = count - settled;
  return {
    target: target.id,
    streams: count,
    opened,
    completed,
    errors,
    errorKinds,
    openAllMs: lastOpenAt ? lastOpenAt - started : Number.NaN,
    rssBeforeMb: rssBefore,
    rssPeakMb: peak,
    kbPerStream: ((peak - rssBefore) * 1024) / count,
    cpuMsPerStream: (cpuMs(pid) - cpuBefore) / count,
  };
}

/**
 * The open-streams test on servers started for it (Tollgate on the Redis + Postgres backing, the
 * bare handler, Portkey), one after another: a process that already grew its heap under earlier
 * load would hide what the streams themselves cost. Each gets 100 calls first, so its code is
 * loaded, as it would be in service.
 */
export async function holdStreamsOnFreshServers(
  backing: Backing,
  providerUrl: string,
  logDir: string,
  opts: { streams: number; holdMs: number },
  say: (line: string) => void,
): Promise<HeldStreams[]> {
  const starts: Array<[string, () => Promise<Target>]> = [
    [
      "Tollgate (Redis + Postgres)",
      async () => {
        const server = await startTollgate(backing, "tollgate-streams", logDir);
        return asTarget(backing, server, "tollgate-redis", "Tollgate (Redis + Postgres)");
      },
    ],
    ["the bare handler", () => startBare(logDir, providerUrl)],
    ["Portkey", () => startPortkey(logDir, providerUrl)],
  ];
  const held: HeldStreams[] = [];
  for (const [name, start] of starts) {
    say(`  ${opts.streams.toLocaleString("en-US")} streams through ${name}`);
    const target = await start();
    try {
      await runLoad({
        url: target.url,
        headers: target.headers,
        body: chatBody(true),
        connections: 10,
        durationS: 10,
        amount: 100,
      });
      held.push(await holdStreams(target, opts.streams, opts.holdMs));
    } finally {
      await stopServer(target.server);
    }
  }
  return held;
}
