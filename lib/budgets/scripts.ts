import { defineScript, type MemoryKV } from "@/lib/store/scripts";

/**
 * Budget counters are Redis strings per (scope, month): `<key>` holds the nano-dollars charged
 * (settled spend plus outstanding reservations), `<key>:spent` the settled spend alone, and
 * `<key>:epoch` an id that changes when the counter is rebuilt from the ledger. Caps are not stored: each reservation passes the caps in
 * force (from the key cache), so a changed cap applies as soon as the instances see it.
 */

/**
 * Reserve. KEYS: the counters (tenant first). ARGV: amount, floor, then each counter's cap (-1:
 * none). Grants `amount` when every counter has room for it; else, when floor > 0, grants the
 * smallest room if it is at least `floor` (the caller lowers max_tokens to match); else refuses.
 * Returns {1, granted, capped (1 when any counter has a cap), epoch...} |
 * {0, room, binding counter's index, its cap, its charged} | {-1, index of a missing counter}.
 */
const RESERVE_LUA = `
local amount = tonumber(ARGV[1])
local floor = tonumber(ARGV[2])
local room = -1
local binding = {0, -1, 0}
for i = 1, #KEYS do
  local charged = redis.call("GET", KEYS[i])
  if not charged then return {-1, i - 1} end
  local cap = tonumber(ARGV[2 + i])
  if cap >= 0 then
    local left = cap - tonumber(charged)
    if left < 0 then left = 0 end
    if room < 0 or left < room then
      room = left
      binding = {i - 1, cap, tonumber(charged)}
    end
  end
end
local granted = amount
if amount > 0 and room >= 0 and room < amount then
  if floor > 0 and room >= floor then granted = room
  else return {0, room, binding[1], binding[2], binding[3]} end
end
local out = {1, granted, room >= 0 and 1 or 0}
for i = 1, #KEYS do
  if granted > 0 then redis.call("INCRBY", KEYS[i], granted) end
  out[#out + 1] = redis.call("GET", KEYS[i] .. ":epoch") or ""
end
return out
`;

function reserveInMemory(kv: MemoryKV, keys: string[], args: string[]): Array<number | string> {
  const amount = Number(args[0]);
  const floor = Number(args[1]);
  let room = -1;
  let binding = [0, -1, 0];
  for (const [i, key] of keys.entries()) {
    const charged = kv.get(key);
    if (charged === null) return [-1, i];
    const cap = Number(args[2 + i]);
    if (cap >= 0) {
      const left = Math.max(0, cap - Number(charged));
      if (room < 0 || left < room) {
        room = left;
        binding = [i, cap, Number(charged)];
      }
    }
  }
  let granted = amount;
  if (amount > 0 && room >= 0 && room < amount) {
    if (floor > 0 && room >= floor) granted = room;
    else return [0, room, ...binding];
  }
  const out: Array<number | string> = [1, granted, room >= 0 ? 1 : 0];
  for (const key of keys) {
    if (granted > 0) kv.incrby(key, granted);
    out.push(kv.get(`${key}:epoch`) ?? "");
  }
  return out;
}

/**
 * Settle. KEYS: the counters. ARGV: reserved, actual, then each counter's epoch at reservation.
 * Replaces the reservation with the actual cost where the counter is the one reserved on; a
 * counter rebuilt since (new epoch) gets the actual cost added, as its ledger sum lacked the call.
 * Returns the first counter's settled spend (`<key>:spent`, reservations left out) without and
 * with this call: what alert thresholds compare, as in-flight holds must not trigger them.
 */
const SETTLE_LUA = `
local reserved = tonumber(ARGV[1])
local actual = tonumber(ARGV[2])
local out = {0, 0}
for i = 1, #KEYS do
  local charged = redis.call("GET", KEYS[i])
  if charged then
    local epoch = redis.call("GET", KEYS[i] .. ":epoch") or ""
    local delta = actual
    if epoch == ARGV[2 + i] then delta = actual - reserved end
    redis.call("INCRBY", KEYS[i], delta)
    if i == 1 then
      local spent = redis.call("INCRBY", KEYS[i] .. ":spent", actual)
      out = {spent - actual, spent}
    end
  end
end
return out
`;

function settleInMemory(kv: MemoryKV, keys: string[], args: string[]): number[] {
  const reserved = Number(args[0]);
  const actual = Number(args[1]);
  let out = [0, 0];
  for (const [i, key] of keys.entries()) {
    if (kv.get(key) === null) continue;
    const epoch = kv.get(`${key}:epoch`) ?? "";
    const delta = epoch === args[2 + i] ? actual - reserved : actual;
    kv.incrby(key, delta);
    if (i === 0) {
      const spent = kv.incrby(`${key}:spent`, actual);
      out = [spent - actual, spent];
    }
  }
  return out;
}

/**
 * Init. KEYS: one counter. ARGV: charged from the ledger, epoch, ttl seconds. Creates the counter
 * only if it is still missing: when instances rebuild at once, one wins.
 */
const INIT_LUA = `
if redis.call("EXISTS", KEYS[1]) == 1 then return 0 end
redis.call("SET", KEYS[1], ARGV[1], "EX", ARGV[3])
redis.call("SET", KEYS[1] .. ":epoch", ARGV[2], "EX", ARGV[3])
redis.call("SET", KEYS[1] .. ":spent", ARGV[1], "EX", ARGV[3])
return 1
`;

function initInMemory(kv: MemoryKV, keys: string[], args: string[]): number {
  const key = keys[0] as string;
  if (kv.get(key) !== null) return 0;
  const ttlMs = Number(args[2]) * 1000;
  kv.set(key, args[0] as string, ttlMs);
  kv.set(`${key}:epoch`, args[1] as string, ttlMs);
  kv.set(`${key}:spent`, args[0] as string, ttlMs);
  return 1;
}

export const reserveScript = defineScript({
  name: "budgets.reserve",
  lua: RESERVE_LUA,
  run: reserveInMemory,
});
export const settleScript = defineScript({
  name: "budgets.settle",
  lua: SETTLE_LUA,
  run: settleInMemory,
});
export const initScript = defineScript({ name: "budgets.init", lua: INIT_LUA, run: initInMemory });
