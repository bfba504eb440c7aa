import type { Redis } from "@upstash/redis";
import { runScript } from "@/lib/store/run-script";
import { defineScript, type MemoryKV } from "@/lib/store/scripts";

/**
 * Tokens per minute, for the key and the tenant at once. @upstash/ratelimit's sliding window
 * admits a weighted request whenever any headroom is left and then refuses it after counting it
 * (its result clamps the overshoot to 0, so the caller cannot tell to refund); tokens need "fits
 * whole or is not counted at all". Same sliding window: the previous minute weighs by its overlap,
 * rounded up (a fraction of a token counts whole), erring on the side of the limit.
 *
 * KEYS: current and previous window key per counter. ARGV: now ms, window ms, rate, force (1 to
 * count even past the limit: real usage that exceeded the estimate), then one limit per counter.
 * Returns {admitted (1|0), used after, per counter}. A rate <= 0 (a refund) always applies.
 */
const LUA = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local force = ARGV[4] == "1"
local n = #KEYS / 2
local share = (now % window) / window
local used = {}
local admitted = 1
for i = 1, n do
  local cur = tonumber(redis.call("GET", KEYS[2 * i - 1]) or "0")
  local prev = tonumber(redis.call("GET", KEYS[2 * i]) or "0")
  used[i] = math.ceil((1 - share) * prev) + cur
  if rate > 0 and not force and used[i] + rate > tonumber(ARGV[4 + i]) then admitted = 0 end
end
if admitted == 1 and rate ~= 0 then
  for i = 1, n do
    redis.call("INCRBY", KEYS[2 * i - 1], rate)
    redis.call("PEXPIRE", KEYS[2 * i - 1], window * 2 + 1000)
    used[i] = used[i] + rate
  end
end
return {admitted, unpack(used)}
`;

function runInMemory(kv: MemoryKV, keys: string[], args: string[]): number[] {
  const [now, window, rate] = args.slice(0, 3).map(Number) as [number, number, number];
  const force = args[3] === "1";
  const share = (now % window) / window;
  const used: number[] = [];
  let admitted = 1;
  for (let i = 0; i < keys.length / 2; i++) {
    const current = Number(kv.get(keys[2 * i] as string) ?? "0");
    const previous = Number(kv.get(keys[2 * i + 1] as string) ?? "0");
    used[i] = Math.ceil((1 - share) * previous) + current;
    if (rate > 0 && !force && (used[i] as number) + rate > Number(args[4 + i])) admitted = 0;
  }
  if (admitted === 1 && rate !== 0) {
    for (let i = 0; i < used.length; i++) {
      kv.incrby(keys[2 * i] as string, rate);
      kv.pexpire(keys[2 * i] as string, window * 2 + 1000);
      used[i] = (used[i] as number) + rate;
    }
  }
  return [admitted, ...used];
}

const script = defineScript({ name: "limits.tokenWindow", lua: LUA, run: runInMemory });

export interface TokenCounter {
  identifier: string;
  limit: number;
}

/** Counts `rate` tokens on every counter, or on none; returns whether it fit and the usage after. */
export async function countTokens(
  redis: Redis,
  prefix: string,
  counters: TokenCounter[],
  rate: number,
  opts: { force?: boolean; windowMs: number },
): Promise<{ admitted: boolean; used: number[]; reset: number }> {
  const now = Date.now();
  const windowNumber = Math.floor(now / opts.windowMs);
  const keys = counters.flatMap((c) => [
    `${prefix}:tl:${c.identifier}:${windowNumber}`,
    `${prefix}:tl:${c.identifier}:${windowNumber - 1}`,
  ]);
  const args = [now, opts.windowMs, rate, opts.force ? 1 : 0, ...counters.map((c) => c.limit)].map(
    String,
  );
  const result = await runScript<number[]>(redis, script, keys, args);
  return {
    admitted: result[0] === 1,
    used: result.slice(1).map(Number),
    reset: (windowNumber + 1) * opts.windowMs,
  };
}
