import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { type Sample, sampleValue, scrape } from "../helpers/prometheus";
import { startTollgate, TEST_DB, type Tollgate } from "../helpers/tollgate";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";
const usage = { prompt: 1000, completion: 500 };

describe("GET /api/metrics, /api/health and /api/ready on a running instance", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI();
    const config = gatewayConfig({ openai: fake.url });
    const tier = { tokensPerMinute: 1_000_000, models: ["gpt-4o"], fallbacks: {} };
    config.tiers.push(
      { ...tier, id: "one-a-minute", monthlyBudgetUsd: 10, requestsPerMinute: 1 },
      { ...tier, id: "no-budget", monthlyBudgetUsd: 0, requestsPerMinute: 1000 },
    );
    gateway = await startTollgate(config, {
      TOLLGATE_METRICS_TOKEN: METRICS_TOKEN,
    });
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  const chat = (key: string, stream: boolean) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        stream,
        ...(stream ? { stream_options: { include_usage: true } } : {}),
        messages: [{ role: "user", content: "hello" }],
      }),
    }).then(async (res) => ({ status: res.status, body: await res.text() }));

  /** Scrapes until `done` holds: a stream settles just after its client read the last byte. */
  const scrapeUntil = async (done: (samples: Sample[]) => boolean) => {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const samples = await scrape(gateway.url, METRICS_TOKEN);
      if (done(samples) || Date.now() > deadline) return samples;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  test("counts requests, latency, tokens and spend by tier, model, provider and outcome", async () => {
    const { key } = await gateway.createTenantWithKey("pro");
    fake.script(
      { kind: "text", content: "one", usage },
      { kind: "text", content: "two", usage },
      { kind: "text", content: "three", usage },
      { kind: "error", status: 400, message: "Unknown parameter: 'foo'.", param: "foo" },
    );
    assert.equal((await chat(key, false)).status, 200);
    assert.equal((await chat(key, false)).status, 200);
    assert.equal((await chat(key, true)).status, 200);
    assert.equal((await chat(key, false)).status, 400);

    const call = { tier: "pro", model: "gpt-4o", provider: "openai" };
    const ok = { ...call, outcome: "ok" };
    const samples = await scrapeUntil((s) => sampleValue(s, "tollgate_requests_total", ok) === 3);
    assert.equal(sampleValue(samples, "tollgate_requests_total", ok), 3);
    assert.equal(sampleValue(samples, "tollgate_requests_total", { ...call, outcome: "error" }), 1);
    assert.equal(sampleValue(samples, "tollgate_request_duration_seconds_count", ok), 3);
    assert.equal(
      sampleValue(samples, "tollgate_request_duration_seconds_bucket", { ...ok, le: "+Inf" }),
      3,
    );
    // 3 calls × (1000 × $2.50 + 500 × $10 per million tokens) = 3 × $0.0075.
    const byModel = { tier: "pro", model: "gpt-4o" };
    assert.equal(sampleValue(samples, "tollgate_spend_nano_usd_total", byModel), 22_500_000);
    assert.equal(
      sampleValue(samples, "tollgate_tokens_total", { ...byModel, kind: "input" }),
      3000,
    );
    assert.equal(
      sampleValue(samples, "tollgate_tokens_total", { ...byModel, kind: "output" }),
      1500,
    );
    assert.equal(
      sampleValue(samples, "tollgate_tokens_total", { ...byModel, kind: "cache_read" }),
      undefined,
    );
    assert.equal(sampleValue(samples, "tollgate_database_up", { database: TEST_DB }), 1);
    // The store is the in-process memory one, or Redis once its health probe is registered.
    const store = samples.filter((s) => s.name === "tollgate_store_up");
    assert.deepEqual(
      store.map((s) => s.value),
      [1],
    );
    assert.equal(sampleValue(samples, "tollgate_draining"), 0);
    assert.equal(sampleValue(samples, "tollgate_calls_in_flight"), 0);
    assert.ok((sampleValue(samples, "process_cpu_user_seconds_total") ?? 0) > 0);
  });

  test("counts requests refused by a rate limit or a budget, before any provider call", async () => {
    const limited = await gateway.createTenantWithKey("one-a-minute");
    const broke = await gateway.createTenantWithKey("no-budget");
    const calls = fake.requests.length;
    assert.equal((await chat(limited.key, false)).status, 200);
    assert.equal((await chat(limited.key, false)).status, 429);
    assert.equal((await chat(broke.key, false)).status, 402);
    assert.equal(fake.requests.length, calls + 1);

    const samples = await scrape(gateway.url, METRICS_TOKEN);
    const rejected = (code: string) =>
      sampleValue(samples, "tollgate_rejected_requests_total", { code });
    assert.equal(rejected("rate_limit_exceeded"), 1);
    assert.equal(rejected("budget_exceeded"), 1);
  });

  test("answers in Prometheus's text format", async () => {
    const res = await fetch(`${gateway.url}/api/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^# HELP tollgate_requests_total /m);
    assert.match(text, /^# TYPE tollgate_request_duration_seconds histogram$/m);
  });

  test("refuses a scrape without the metrics token, or with another token", async () => {
    const expected = {
      error: {
        message:
          "Missing or wrong metrics token. Send 'Authorization: Bearer <TOLLGATE_METRICS_TOKEN>'.",
        type: "invalid_request_error",
        param: null,
        code: "invalid_metrics_token",
      },
    };
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${METRICS_TOKEN}x` },
      { authorization: `Bearer ${gateway.adminToken}` },
      { authorization: METRICS_TOKEN },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${gateway.url}/api/metrics`, { headers });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), expected);
    }
  });

  test("/api/health answers and /api/ready reports the database, its migrations and the store", async () => {
    const health = await fetch(`${gateway.url}/api/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });

    const ready = await fetch(`${gateway.url}/api/ready`);
    assert.equal(ready.status, 200);
    const body = (await ready.json()) as {
      database: { latencyMs: number };
      store: { ok: boolean; kind: string };
    };
    const journal = JSON.parse(
      readFileSync(path.resolve("db/migrations/meta/_journal.json"), "utf8"),
    ) as { entries: Array<{ when: number }> };
    const newest = Math.max(...journal.entries.map((e) => e.when));
    assert.equal(typeof body.database.latencyMs, "number");
    assert.deepEqual(body, {
      status: "ready",
      database: {
        ok: true,
        kind: TEST_DB,
        latencyMs: body.database.latencyMs,
        migrations: { applied: newest, expected: newest },
      },
      store: body.store,
    });
    assert.equal(body.store.ok, true);
    assert.match(body.store.kind, /^(memory|redis|upstash)$/);
  });
});
