import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient } from "redis";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { type FakeUpstash, startFakeUpstash } from "../fakes/upstash";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const PREFIX = `tgtest:upstash:${process.pid}`;

describe("the store over Upstash's REST API", () => {
  let provider: FakeOpenAI;
  let upstash: FakeUpstash;
  let open: Tollgate;
  let closed: Tollgate;

  before(async () => {
    provider = await startFakeOpenAI();
    upstash = await startFakeUpstash(REDIS_URL);
    const base = gatewayConfig({ openai: provider.url });
    // Two requests a minute on the free tier, so the third shows the limiter at work.
    const config = {
      ...base,
      tiers: base.tiers.map((t) => (t.id === "free" ? { ...t, requestsPerMinute: 2 } : t)),
    };
    const env = {
      UPSTASH_REDIS_REST_URL: upstash.url,
      UPSTASH_REDIS_REST_TOKEN: upstash.token,
      TOLLGATE_STORE_PREFIX: PREFIX,
    };
    open = await startTollgate({ ...config, store: { onOutage: "open" } }, env);
    closed = await startTollgate({ ...config, store: { onOutage: "closed" } }, env);
  });
  after(async () => {
    await open?.stop();
    await closed?.stop();
    await upstash?.close();
    await provider?.close();
    const client = createClient({ url: REDIS_URL });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${PREFIX}:*`, COUNT: 500 }))
      if (keys.length > 0) await client.del(keys);
    await client.quit();
  });

  const call = (gateway: Tollgate, key: string) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    });
  const code = async (res: Response) =>
    ((await res.json()) as { error: { code: string } }).error.code;

  test("request limits and budget caps hold through it", async () => {
    const { key } = await open.createTenantWithKey("free");
    const before = upstash.requests;
    assert.equal((await call(open, key)).status, 200);
    assert.equal((await call(open, key)).status, 200);
    const third = await call(open, key);
    assert.equal(third.status, 429);
    assert.equal(await code(third), "rate_limit_exceeded");
    assert.ok(upstash.requests > before, "the limits were checked through the REST API");

    const other = await open.createTenantWithKey("free");
    await open.admin("PATCH", `/api/admin/tenants/${other.tenantId}`, { monthlyBudgetUsd: 0 });
    const refused = await call(open, other.key);
    assert.equal(refused.status, 402);
    assert.equal(await code(refused), "budget_exceeded");
  });

  test("an Upstash that hangs or refuses gets the outage policy's answer within seconds", async () => {
    const openKey = (await open.createTenantWithKey("pro")).key;
    const closedKey = (await closed.createTenantWithKey("pro")).key;
    for (const mode of ["hang", "down"] as const) {
      upstash.mode = mode;
      // Elapsed time by the monotonic clock: this machine's wall clock is stepped now and then.
      const started = performance.now();
      const refused = await call(closed, closedKey);
      assert.equal(refused.status, 503, mode);
      assert.equal(await code(refused), "store_unavailable");
      assert.equal((await call(open, openKey)).status, 200, mode);
      const took = performance.now() - started;
      assert.ok(took < 10_000, `${mode}: answered in ${Math.round(took)} ms`);
      // Once a command has failed, the next requests of the outage do not wait for Upstash again.
      const next = performance.now();
      assert.equal((await call(closed, closedKey)).status, 503, mode);
      assert.equal((await call(open, openKey)).status, 200, mode);
      const again = performance.now() - next;
      assert.ok(again < 1500, `${mode}: later requests answered in ${Math.round(again)} ms`);
    }
    upstash.mode = "up";
    // Upstash is tried again after the back-off (5 s).
    await new Promise((r) => setTimeout(r, 5500));
    assert.equal((await call(closed, closedKey)).status, 200);
  });
});
