import type { Redis } from "@upstash/redis";
import type { StoreScript } from "./scripts";

/** Runs a registered script by its SHA, sending the text only when the store does not know it yet. */
export async function runScript<T>(
  redis: Redis,
  script: StoreScript,
  keys: string[],
  args: string[],
): Promise<T> {
  try {
    return (await redis.evalsha(script.sha, keys, args)) as T;
  } catch (err) {
    if (!String(err).includes("NOSCRIPT")) throw err;
    return (await redis.eval(script.lua, keys, args)) as T;
  }
}
