import type { Requester, UpstashRequest, UpstashResponse } from "@upstash/redis";
import { type MemoryKV, scriptBySha, scriptForText } from "./scripts";

type Command = Array<string | number>;

/**
 * The embedded store: a single-process, in-memory stand-in for Redis behind the same
 * `@upstash/redis` client, so the limiter and budget code is one code path for every store. It
 * knows the commands Tollgate uses, and runs scripts through their registered TypeScript twins.
 */
export function createMemoryRequester(): Requester & { kv: MemoryKV } {
  const data = new Map<string, { value: string; expiresAt: number | null }>();
  const live = (key: string) => {
    const entry = data.get(key);
    if (
      entry?.expiresAt !== null &&
      entry?.expiresAt !== undefined &&
      entry.expiresAt <= Date.now()
    ) {
      data.delete(key);
      return undefined;
    }
    return entry;
  };
  const kv: MemoryKV = {
    get: (key) => live(key)?.value ?? null,
    set: (key, value, pxMs) => {
      data.set(key, { value, expiresAt: pxMs === undefined ? null : Date.now() + pxMs });
    },
    incrby: (key, by) => {
      const entry = live(key);
      const next = (entry ? Number.parseInt(entry.value, 10) : 0) + by;
      data.set(key, { value: String(next), expiresAt: entry?.expiresAt ?? null });
      return next;
    },
    pexpire: (key, ms) => {
      const entry = live(key);
      if (entry) entry.expiresAt = Date.now() + ms;
    },
    del: (key) => {
      data.delete(key);
    },
  };

  const runScript = (sha: string, text: string | null, rest: string[]) => {
    const script = text === null ? scriptBySha(sha) : scriptForText(text);
    if (!script) {
      if (text === null) throw new Error("NOSCRIPT No matching script. Please use EVAL.");
      throw new Error("ERR this script has no in-memory twin; use REDIS_URL for custom scripts");
    }
    const keyCount = Number(rest[0]);
    return script.run(kv, rest.slice(1, 1 + keyCount), rest.slice(1 + keyCount));
  };

  const exec = (command: Command): unknown => {
    const [name, ...raw] = command;
    const args = raw.map(String);
    const [a = "", b = ""] = args;
    switch (String(name).toUpperCase()) {
      case "PING":
        return "PONG";
      case "GET":
        return kv.get(a);
      case "MGET":
        return args.map((key) => kv.get(key));
      case "SET": {
        const px = args.findIndex((x) => x.toUpperCase() === "PX");
        const ex = args.findIndex((x) => x.toUpperCase() === "EX");
        const nx = args.some((x) => x.toUpperCase() === "NX");
        if (nx && live(a)) return null;
        const ms = px > 0 ? Number(args[px + 1]) : ex > 0 ? Number(args[ex + 1]) * 1000 : undefined;
        kv.set(a, b, ms);
        return "OK";
      }
      case "INCR":
        return kv.incrby(a, 1);
      case "INCRBY":
        return kv.incrby(a, Number(b));
      case "DECRBY":
        return kv.incrby(a, -Number(b));
      case "DEL": {
        const present = args.filter((key) => live(key));
        for (const key of present) kv.del(key);
        return present.length;
      }
      case "EXISTS":
        return args.filter((key) => live(key)).length;
      case "PEXPIRE":
        if (!live(a)) return 0;
        kv.pexpire(a, Number(b));
        return 1;
      case "PTTL": {
        const entry = live(a);
        if (!entry) return -2;
        return entry.expiresAt === null ? -1 : entry.expiresAt - Date.now();
      }
      case "EVAL":
        return runScript("", a, args.slice(1));
      case "EVALSHA":
        return runScript(a, null, args.slice(1));
      case "FLUSHDB":
        data.clear();
        return "OK";
      default:
        throw new Error(`ERR unknown command '${String(name)}' in the in-memory store`);
    }
  };

  const answer = (command: Command): UpstashResponse<unknown> => {
    try {
      return { result: exec(command) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  };

  return {
    kv,
    async request<TResult>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
      const kind = req.path?.[0];
      if (kind === "pipeline" || kind === "multi-exec") {
        return (req.body as Command[]).map(answer) as unknown as UpstashResponse<TResult>;
      }
      return answer(req.body as Command) as UpstashResponse<TResult>;
    },
  };
}
