import { createHash } from "node:crypto";

/** The key-value operations a script's in-memory twin may use; each call is atomic already. */
export interface MemoryKV {
  get(key: string): string | null;
  set(key: string, value: string, pxMs?: number): void;
  incrby(key: string, by: number): number;
  pexpire(key: string, ms: number): void;
  del(key: string): void;
}

/**
 * A Lua script for Redis together with its twin in TypeScript for the in-memory store. The twin
 * must behave exactly like the script; both run atomically (Redis runs a script alone, and the
 * memory store runs the twin synchronously). Tests run the same scenarios against both stores.
 */
export interface StoreScript {
  name: string;
  lua: string;
  sha: string;
  run(kv: MemoryKV, keys: string[], args: string[]): unknown;
}

// On globalThis: the memory store is created in one Next.js bundle and scripts are defined in
// others, and all of them must see one registry.
const slot = globalThis as unknown as { __tollgateScripts?: Map<string, StoreScript> };
slot.__tollgateScripts ??= new Map<string, StoreScript>();
const bySha = slot.__tollgateScripts;
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** Registers a script so the in-memory store can answer EVALSHA and EVAL for it. */
export function defineScript(def: Omit<StoreScript, "sha">): StoreScript {
  const script = { ...def, sha: sha1(def.lua) };
  bySha.set(script.sha, script);
  return script;
}

export function scriptBySha(sha: string): StoreScript | undefined {
  return bySha.get(sha);
}

/**
 * Finds the twin of a script sent with EVAL. Our own scripts match by SHA; `@upstash/ratelimit`'s
 * sliding-window scripts (not exported by the package) are recognised by what they do, and then
 * remembered under their SHA so later EVALSHA calls find them.
 */
export function scriptForText(text: string): StoreScript | undefined {
  const sha = sha1(text);
  const known = bySha.get(sha);
  if (known) return known;
  const twin = recogniseRatelimitScript(text);
  if (!twin) return undefined;
  const script = { ...twin, sha };
  bySha.set(sha, script);
  return script;
}

const toInt = (value: string | null) => (value === null ? 0 : Number.parseInt(value, 10));

/**
 * The sliding window of `@upstash/ratelimit` (single region): the previous window's count weighs
 * in proportion to how much of it still overlaps the last `window` ms. A positive increment is
 * refused, without counting, once the weighted total has reached the limit; a negative one (a
 * refund) always applies.
 */
function slidingWindowState(kv: MemoryKV, keys: string[], args: string[]) {
  const [currentKey = "", previousKey = "", dynamicLimitKey] = keys;
  const dynamic = dynamicLimitKey ? kv.get(dynamicLimitKey) : null;
  const limit = dynamic === null ? Number(args[0]) : Number(dynamic);
  const now = Number(args[1]);
  const window = Number(args[2]);
  const share = (now % window) / window;
  const previous = Math.floor((1 - share) * toInt(kv.get(previousKey)));
  return { currentKey, limit, window, previous, current: toInt(kv.get(currentKey)) };
}

function recogniseRatelimitScript(text: string): Omit<StoreScript, "sha"> | undefined {
  const sliding = text.includes("requestsInPreviousWindow") && text.includes("percentageInCurrent");
  if (!sliding) return undefined;
  if (text.includes("INCRBY")) {
    return {
      name: "ratelimit.slidingWindow.limit",
      lua: text,
      run(kv, keys, args) {
        const s = slidingWindowState(kv, keys, args);
        const by = Number(args[3]);
        if (by > 0 && s.previous + s.current >= s.limit) return [-1, s.limit];
        const value = kv.incrby(s.currentKey, by);
        if (value === by) kv.pexpire(s.currentKey, s.window * 2 + 1000);
        return [s.limit - (value + s.previous), s.limit];
      },
    };
  }
  return {
    name: "ratelimit.slidingWindow.remaining",
    lua: text,
    run(kv, keys, args) {
      const s = slidingWindowState(kv, keys, args);
      return [s.limit - (s.previous + s.current), s.limit];
    },
  };
}
