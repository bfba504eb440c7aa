import { createHash } from "node:crypto";
import type { Requester, UpstashRequest, UpstashResponse } from "@upstash/redis";
import { createClient } from "redis";
import { logger } from "@/lib/log";
import { StoreUnavailableError } from "./errors";

type Command = Array<string | number>;
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/**
 * `@upstash/ratelimit` 2.1+ starts its Lua scripts with `#!lua flags=allow-key-locking`, a flag
 * Redis 7.0 refuses ("Unexpected flag in script shebang"). The flag only relaxes key locking on
 * servers that know it, so dropping the whole shebang line gives a classic script with the same
 * effect. Scripts are then cached by Redis under the stripped text's SHA, so EVALSHA calls made
 * with the original SHA are translated, keeping one round trip per script call.
 */
class ScriptShebangs {
  private readonly shaMap = new Map<string, string>();

  rewriteEval(script: string): string {
    if (!script.startsWith("#!")) return script;
    const stripped = script.slice(script.indexOf("\n") + 1);
    this.shaMap.set(sha1(script), sha1(stripped));
    return stripped;
  }

  rewriteSha(sha: string): string {
    return this.shaMap.get(sha) ?? sha;
  }
}

export interface TcpRequester extends Requester {
  isReady(): boolean;
  close(): Promise<void>;
}

/**
 * An `@upstash/redis` requester that sends commands, pipelines and transactions to a Redis server
 * over TCP with node-redis. The offline queue is off: while disconnected every command fails at
 * once (StoreUnavailableError) instead of hanging, and node-redis reconnects in the background.
 */
export function createTcpRequester(url: string): TcpRequester {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000),
    },
  });
  const shebangs = new ScriptShebangs();
  let ready = false;
  client.on("ready", () => {
    if (!ready) logger.info({ store: "redis" }, "store connected");
    ready = true;
  });
  client.on("error", (err: Error) => {
    if (ready) logger.error({ store: "redis", err: err.message }, "store connection lost");
    ready = false;
  });
  client
    .connect()
    .catch((err: unknown) => logger.error({ err }, "store: first connection failed; retrying"));

  const send = async (command: Command): Promise<unknown> => {
    if (!ready) throw new StoreUnavailableError("Redis is not connected");
    const [name, ...rest] = command;
    const upper = String(name).toUpperCase();
    const args = rest.map(String);
    if ((upper === "EVAL" || upper === "EVAL_RO") && args[0])
      args[0] = shebangs.rewriteEval(args[0]);
    if ((upper === "EVALSHA" || upper === "EVALSHA_RO") && args[0])
      args[0] = shebangs.rewriteSha(args[0]);
    try {
      return await client.sendCommand([upper, ...args]);
    } catch (err) {
      if (!ready || !client.isReady) throw new StoreUnavailableError((err as Error).message);
      throw err;
    }
  };

  const answer = async (run: () => Promise<unknown>): Promise<UpstashResponse<unknown>> => {
    try {
      return { result: await run() };
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      return { error: (err as Error).message };
    }
  };

  return {
    isReady: () => ready,
    // A client that never connected (Redis down) would wait forever to quit: drop it instead.
    close: async () => {
      if (!ready) {
        client.destroy();
        return;
      }
      await Promise.race([client.quit(), new Promise((resolve) => setTimeout(resolve, 2000))]);
    },
    async request<TResult>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
      const kind = req.path?.[0];
      const commands = req.body as Command[] | Command;
      if (kind === "pipeline") {
        // Commands issued in the same tick share one write: node-redis pipelines them.
        const results = await Promise.all(
          (commands as Command[]).map((c) => answer(() => send(c))),
        );
        return results as unknown as UpstashResponse<TResult>;
      }
      if (kind === "multi-exec") {
        if (!ready) throw new StoreUnavailableError("Redis is not connected");
        const multi = client.multi();
        for (const c of commands as Command[]) multi.addCommand(c.map(String));
        const results = await multi.exec();
        return results.map((result) => ({ result })) as unknown as UpstashResponse<TResult>;
      }
      return (await answer(() => send(commands as Command))) as UpstashResponse<TResult>;
    },
  };
}
