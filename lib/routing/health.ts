import type { GatewayConfig } from "@/lib/config/load";
import { type Store, withStore } from "@/lib/store";
import { runScript } from "@/lib/store/run-script";
import { defineScript, type MemoryKV } from "@/lib/store/scripts";

/**
 * Circuit breaker per model, shared by every instance through the store. KEYS: failure counter,
 * cooldown flag. ARGV: failure window ms, threshold, cooldown ms. Counts one failure; at the
 * threshold, opens the cooldown and resets the count. Returns 1 when the cooldown opened.
 */
const FAIL_LUA = `
local n = redis.call("INCR", KEYS[1])
if n == 1 then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
if n >= tonumber(ARGV[2]) then
  redis.call("SET", KEYS[2], "1", "PX", ARGV[3])
  redis.call("DEL", KEYS[1])
  return 1
end
return 0
`;

function failInMemory(kv: MemoryKV, keys: string[], args: string[]): number {
  const [counter = "", flag = ""] = keys;
  const n = kv.incrby(counter, 1);
  if (n === 1) kv.pexpire(counter, Number(args[0]));
  if (n >= Number(args[1])) {
    kv.set(flag, "1", Number(args[2]));
    kv.del(counter);
    return 1;
  }
  return 0;
}

const failScript = defineScript({ name: "routing.fail", lua: FAIL_LUA, run: failInMemory });

const counterKey = (store: Store, model: string) => `${store.prefix}:cb:${model}:failures`;

/** Store key of a model's cooldown flag: present while the model is skipped. */
export const cooldownKey = (store: Store, model: string) => `${store.prefix}:cb:${model}:open`;

/** Counts a failure of a model; returns true when it just went into cooldown. */
export async function recordFailure(
  store: Store,
  routing: GatewayConfig["routing"],
  model: string,
): Promise<boolean> {
  const args = [routing.failureWindowMs, routing.failureThreshold, routing.cooldownMs].map(String);
  const opened = await withStore(store, (redis) =>
    runScript<number>(
      redis,
      failScript,
      [counterKey(store, model), cooldownKey(store, model)],
      args,
    ),
  );
  return opened === 1;
}

/** A success clears the model's recent failures: only consecutive trouble opens the breaker. */
export async function recordSuccess(store: Store, model: string): Promise<void> {
  await withStore(store, (redis) => redis.del(counterKey(store, model)));
}
