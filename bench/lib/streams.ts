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
  /** The most streams open at the same moment (first content in, end not yet). */
  peakOpen: number;
  /** Streams that ended with `data: [DONE]` and no error event. */
  completed: number;
  errors: number;
  /** Error kinds and how many of each (status codes, socket errors), for the report. */
  errorKinds: Record<string, number>;
  /** From the first request to the last stream's first content. */
  openAllMs: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  /** (peak − before) ÷ the most streams open at once. */
  kbPerStream: number;
  cpuMsPerStream: number;
}

/**
 * At most this many streams wait for their first content at a time: new ones start as others
 * open, so the server opens streams as fast as it can without the kernel's accept queue
 * overflowing (dropped connections are retried by TCP a second or more later, which would measure
 * the kernel rather than the server).
 */
const OPENING = 200;
/** Longest the opening may take, beyond the hold time, before what is left is cut. */
const OPEN_BUDGET_MS = 90_000;

/**
 * Opens `count` bench-hold streams against a target (the fake holds each for `holdMs`, a chunk a
 * second) and keeps them to the end: how many were open at once, errors, memory and CPU per stream.
 * The hold must outlast the opening for all of them to be open together. Bounded: whatever is
 * still open `holdMs` + 90 s after the start is cut and counted as an error.
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
  let over = false;
  const fail = (kind: string) => {
    if (!over) errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };
  let sent = 0;
  /** Sent and waiting for their first content. */
  let pending = 0;
  let opened = 0;
  let openNow = 0;
  let peakOpen = 0;
  let completed = 0;
  let settled = 0;
  let lastOpenAt = 0;
  const started = performance.now();
  const requests: ClientRequest[] = [];
  const body = chatBody(true, "bench-hold");

  const done = new Promise<void>((resolve) => {
    const settle = (wasOpen: boolean) => {
      if (over) return;
      if (wasOpen) openNow--;
      else pending--;
      if (++settled === count) resolve();
      launch();
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
            pending--;
            opened++;
            peakOpen = Math.max(peakOpen, ++openNow);
            lastOpenAt = performance.now();
            launch();
          }
        });
        res.on("end", () => {
          if (res.statusCode === 200 && text.includes("[DONE]") && !text.includes('"error"'))
            completed += over ? 0 : 1;
          else if (res.statusCode === 200) fail("stream ended without [DONE] or with an error");
          settle(first);
        });
        res.on("error", () => {
          fail("response cut");
          settle(first);
        });
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        fail(err.code ?? err.message);
        settle(first);
      });
      req.end(body);
      requests.push(req);
    };
    const launch = () => {
      while (sent < count && pending < OPENING) {
        sent++;
        pending++;
        one();
      }
    };
    launch();
  });

  const guard = new Promise<void>((resolve) =>
    setTimeout(resolve, holdMs + OPEN_BUDGET_MS).unref(),
  );
  await Promise.race([done, guard]);
  over = true;
  for (const req of requests) req.destroy();
  clearInterval(sampler);
  agent.destroy();
  const cut = count - settled;
  if (cut > 0) errorKinds["not finished at the deadline"] = cut;
  return {
    target: target.id,
    streams: count,
    opened,
    peakOpen,
    completed,
    errors: Object.values(errorKinds).reduce((a, b) => a + b, 0),
    errorKinds: { ...errorKinds },
    openAllMs: lastOpenAt ? lastOpenAt - started : Number.NaN,
    rssBeforeMb: rssBefore,
    rssPeakMb: peak,
    kbPerStream: ((peak - rssBefore) * 1024) / Math.max(1, peakOpen),
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
