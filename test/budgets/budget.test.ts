import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createClient } from "redis";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { assertValid } from "../helpers/openapi";
import { startTollgate, TEST_DB, type Tollgate } from "../helpers/tollgate";
import {
  BUDGET_MESSAGE,
  budgetConfig,
  CHARGED,
  chat,
  RESERVED,
  reconciled,
  usage,
} from "./budget-helpers";

const clockFile = path.join(tmpdir(), `tollgate-clock-${process.pid}`);

describe(`spending caps (${TEST_DB === "postgres" ? "real Redis and Postgres" : "embedded"})`, () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    writeFileSync(clockFile, "0");
    fake = await startFakeOpenAI();
    fake.setDefault({ kind: "text", content: "ok", usage: { prompt: 8, completion: 100 } });
    gateway = await startTollgate(budgetConfig(fake.url), { TOLLGATE_CLOCK_FILE: clockFile });
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  /** A pro tenant whose cap pays for about `calls` calls. */
  const cappedTenant = async (calls: number) => {
    const tenant = await gateway.createTenantWithKey("pro");
    const cap = (calls * RESERVED) / 1e9;
    await gateway.admin("PATCH", `/api/admin/tenants/${tenant.tenantId}`, {
      monthlyBudgetUsd: cap,
    });
    return { ...tenant, capNanoUsd: calls * RESERVED };
  };

  async function burst(urls: string[], stream: boolean) {
    const { tenantId, key, capNanoUsd } = await cappedTenant(100);
    const before = fake.requests.length;
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => chat(urls[i % urls.length] as string, key, { stream })),
    );
    const ok = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 402);
    await Promise.all(ok.map((r) => r.text()));
    assert.equal(ok.length + refused.length, 300);
    assert.ok(ok.length >= 90, `only ${ok.length} succeeded`);
    assert.equal(fake.requests.length - before, ok.length);
    for (const res of refused.slice(0, 5)) {
      assert.equal(res.headers.get("x-should-retry"), "false");
      const body = (await res.json()) as { error: { message: string } };
      assertValid("ErrorResponse", body);
      assert.deepEqual(
        { ...body.error, message: "" },
        { message: "", type: "insufficient_quota", param: null, code: "budget_exceeded" },
      );
      assert.match(body.error.message, BUDGET_MESSAGE);
    }
    const row = await reconciled(gateway, tenantId);
    assert.equal(row?.ledgerNanoUsd, ok.length * CHARGED);
    assert.ok((row?.ledgerNanoUsd ?? Infinity) <= capNanoUsd);
    assert.equal(row?.counterNanoUsd, row?.ledgerNanoUsd);
    assert.equal((await usage(urls[0] as string, key)).spendNanoUsd, row?.ledgerNanoUsd);
  }

  test("300 parallel requests on a cap that pays for about 100 never spend past it", () =>
    burst([gateway.url], false));

  test("the same holds for 300 parallel streams", () => burst([gateway.url], true));

  test("the same holds across three instances", {
    skip: TEST_DB !== "postgres" && "instances share Postgres and Redis",
  }, async () => {
    const second = await startTollgate(
      budgetConfig(fake.url),
      { TOLLGATE_CLOCK_FILE: clockFile },
      gateway,
    );
    const third = await startTollgate(
      budgetConfig(fake.url),
      { TOLLGATE_CLOCK_FILE: clockFile },
      gateway,
    );
    try {
      await burst([gateway.url, second.url, third.url], false);
    } finally {
      await second.stop();
      await third.stop();
    }
  });

  test("a cap of 0 refuses every paid call, but a free model is served past it", async () => {
    const { tenantId, key } = await gateway.createTenantWithKey("pro");
    await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, { monthlyBudgetUsd: 0 });
    assert.equal((await chat(gateway.url, key)).status, 402);
    const free = await chat(gateway.url, key, { model: "llama3.1" });
    assert.equal(free.status, 200);
  });

  test("no cap (null) serves and reports the budget as null", async () => {
    const { tenantId, key } = await gateway.createTenantWithKey("tiny");
    assert.equal((await chat(gateway.url, key)).status, 402);
    await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, { monthlyBudgetUsd: null });
    assert.equal((await chat(gateway.url, key)).status, 200);
    assert.equal((await usage(gateway.url, key)).budgetUsd, null);
  });

  test("a tier's per-user cap limits each end user of a tenant apart, reported in /v1/usage", async () => {
    const { key } = await gateway.createTenantWithKey("per-user");
    const as = (user: string) => chat(gateway.url, key, { user }).then((r) => r.status);
    assert.deepEqual([await as("alice"), await as("alice"), await as("bob")], [200, 200, 200]);
    const third = await chat(gateway.url, key, { user: "alice" });
    assert.equal(third.status, 402);
    assert.match(
      ((await third.json()) as { error: { message: string } }).error.message,
      /^This end user's monthly budget of \$0\.00221 is used up/,
    );
    const res = await fetch(`${gateway.url}/v1/usage`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const doc = (await res.json()) as {
      byUser: Array<{ user: string; requests: number; spendNanoUsd: number; budgetUsd: number }>;
    };
    assert.deepEqual(doc.byUser, [
      {
        user: "alice",
        requests: 2,
        spendNanoUsd: 2 * CHARGED,
        spendUsd: (2 * CHARGED) / 1e9,
        budgetUsd: 0.00221,
      },
      {
        user: "bob",
        requests: 1,
        spendNanoUsd: CHARGED,
        spendUsd: CHARGED / 1e9,
        budgetUsd: 0.00221,
      },
    ]);
  });

  test("a tier change applies to the next request", async () => {
    const { tenantId, key } = await gateway.createTenantWithKey("tiny");
    assert.equal((await chat(gateway.url, key)).status, 402);
    await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, { tier: "pro" });
    assert.equal((await chat(gateway.url, key)).status, 200);
  });

  test("a tier change applies to the next request on every instance", {
    skip: TEST_DB !== "postgres" && "instances share Postgres and Redis",
  }, async () => {
    const other = await startTollgate(
      budgetConfig(fake.url),
      { TOLLGATE_CLOCK_FILE: clockFile },
      gateway,
    );
    try {
      const { tenantId, key } = await gateway.createTenantWithKey("tiny");
      // The other instance has the key cached, with the tiny tier, when the change happens here.
      assert.equal((await chat(other.url, key)).status, 402);
      await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, { tier: "pro" });
      assert.equal((await chat(other.url, key)).status, 200);
    } finally {
      await other.stop();
    }
  });

  test("an unbounded answer under a cap is shortened to what the budget pays for, and says so", async () => {
    const { tenantId, key } = await gateway.createTenantWithKey("pro");
    // Room for the prompt's bound and exactly 50 output tokens.
    await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, {
      monthlyBudgetUsd: (42 * 2500 + 50 * 10_000) / 1e9,
    });
    const res = await chat(gateway.url, key, { max_tokens: undefined });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-tollgate-max-tokens"), "50");
    const upstream = fake.requests.at(-1)?.body as { max_completion_tokens?: number } | undefined;
    assert.equal(upstream?.max_completion_tokens, 50);
  });

  test("the month rolls over: a new month starts with a fresh budget", async () => {
    const { key } = await gateway.createTenantWithKey("tiny");
    assert.equal((await chat(gateway.url, key, { model: "llama3.1" })).status, 200);
    assert.equal((await chat(gateway.url, key)).status, 402);
    const now = new Date();
    const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1, 0, 1);
    writeFileSync(clockFile, String(nextMonth - Date.now()));
    try {
      const doc = await usage(gateway.url, key);
      assert.equal(
        doc.periodStart,
        new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      );
      assert.equal(doc.requests, 0);
      // The cap is a millionth of a dollar: a paid call still does not fit, a free one is served.
      assert.equal((await chat(gateway.url, key)).status, 402);
      assert.equal((await chat(gateway.url, key, { model: "llama3.1" })).status, 200);
      assert.equal((await usage(gateway.url, key)).requests, 1);
    } finally {
      writeFileSync(clockFile, "0");
    }
  });

  test("Redis flushed mid-month: spend is rebuilt from the ledger and nothing extra is allowed", {
    skip: TEST_DB !== "postgres" && "needs the shared Redis",
  }, async () => {
    const { tenantId, key } = await cappedTenant(3);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await chat(gateway.url, key)).status);
    assert.deepEqual(statuses, [200, 200, 200, 402]);
    const redis = createClient({ url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379" });
    await redis.connect();
    for await (const keys of redis.scanIterator({
      MATCH: `${gateway.shared.dbEnv.TOLLGATE_STORE_PREFIX}:b:*`,
    })) {
      if (keys.length > 0) await redis.del(keys);
    }
    await redis.quit();
    assert.equal((await chat(gateway.url, key)).status, 402);
    const row = await reconciled(gateway, tenantId);
    assert.equal(row?.ledgerNanoUsd, 3 * CHARGED);
    assert.equal(row?.counterNanoUsd, 3 * CHARGED);
  });

  test("a client that disconnects mid-stream is charged for what it received; the rest is released", async () => {
    const { tenantId, key } = await cappedTenant(10);
    fake.script({
      kind: "text",
      content: "alpha beta gamma delta epsilon zeta eta theta",
      chunkDelayMs: 300,
    });
    const controller = new AbortController();
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      signal: controller.signal,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        max_tokens: 100,
        stream: true,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    const reader = res.body?.getReader();
    let text = "";
    while (!text.includes("gamma")) {
      const { value } = (await reader?.read()) ?? {};
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    await fake.settled();
    const row = await reconciled(gateway, tenantId);
    assert.ok((row?.ledgerNanoUsd ?? 0) > 0);
    assert.ok((row?.ledgerNanoUsd ?? Infinity) < RESERVED);
    assert.equal(row?.counterNanoUsd, row?.ledgerNanoUsd);
  });
});
