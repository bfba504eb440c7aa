import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Ratelimit } from "@upstash/ratelimit";
import type { Redis } from "@upstash/redis";
import { countTokens } from "@/lib/limits/token-window";
import { RequesterRedis } from "@/lib/store";
import { createMemoryRequester } from "@/lib/store/memory";
import { createTcpRequester, type TcpRequester } from "@/lib/store/tcp";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `tgtest:store:${process.pid}:${Date.now()}`;

/** Runs the same scenario on real Redis (over the TCP requester) and on the memory store. */
describe("the memory store behaves like Redis for the limiter's scripts", () => {
  let tcp: TcpRequester;
  let stores: Array<{ name: string; redis: Redis }>;

  before(async () => {
    tcp = createTcpRequester(REDIS_URL);
    const deadline = Date.now() + 5000;
    while (!tcp.isReady() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    stores = [
      { name: "redis", redis: new RequesterRedis(tcp) },
      { name: "memory", redis: new RequesterRedis(createMemoryRequester()) },
    ];
  });
  after(async () => {
    const redis = stores[0]?.redis;
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await tcp.close();
  });

  test("@upstash/ratelimit's sliding window (with its #!lua shebang) refuses the 4th of 3", async () => {
    const outcomes = [];
    for (const { name, redis } of stores) {
      const rl = new Ratelimit({
        redis,
        prefix: `${prefix}:${name}`,
        limiter: Ratelimit.slidingWindow(3, "60 s"),
        ephemeralCache: false,
        timeout: 0,
      });
      const results = [];
      for (let i = 0; i < 4; i++) results.push((await rl.limit("id")).success);
      results.push((await rl.limit("id", { rate: -1 })).success, (await rl.limit("id")).success);
      outcomes.push(results);
    }
    assert.deepEqual(outcomes[0], [true, true, true, false, true, true]);
    assert.deepEqual(outcomes[1], outcomes[0]);
  });

  test("the token window counts a request whole or not at all, on both stores", async () => {
    const outcomes = [];
    for (const { name, redis } of stores) {
      const counters = [
        { identifier: `${name}:a`, limit: 1000 },
        { identifier: `${name}:b`, limit: 700 },
      ];
      const opts = { windowMs: 60_000 };
      const steps = [
        await countTokens(redis, prefix, counters, 300, opts),
        await countTokens(redis, prefix, counters, 300, opts),
        await countTokens(redis, prefix, counters, 300, opts),
        await countTokens(redis, prefix, counters, -100, opts),
        await countTokens(redis, prefix, counters, 5000, { ...opts, force: true }),
      ];
      outcomes.push(steps.map((s) => [s.admitted, ...s.used]));
    }
    assert.deepEqual(outcomes[0], [
      [true, 300, 300],
      [true, 600, 600],
      [false, 600, 600],
      [true, 500, 500],
      [true, 5500, 5500],
    ]);
    assert.deepEqual(outcomes[1], outcomes[0]);
  });
});
