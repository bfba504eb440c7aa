import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { assertValid } from "../helpers/openapi";
import { startTollgate, TEST_DB, type Tollgate } from "../helpers/tollgate";

const WINDOW_MS = 3000;

/** The message the gateway writes for a request-limit refusal, rebuilt from the headers. */
function requestRefusal(res: Response, scope: string, limit: number) {
  const waitMs = Number(res.headers.get("retry-after-ms"));
  const wait = waitMs < 1000 ? `${Math.ceil(waitMs)}ms` : `${Math.ceil(waitMs / 1000)}s`;
  return {
    error: {
      message: `Rate limit reached for requests per minute on this ${scope}: limit ${limit}, remaining 0. Try again in ${wait}.`,
      type: "rate_limit_error",
      param: null,
      code: "rate_limit_exceeded",
    },
  };
}

describe(`rate limits per key and tenant (${TEST_DB === "postgres" ? "real Redis" : "in-memory store"})`, () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI();
    fake.setDefault({ kind: "text", content: "ok", usage: { prompt: 10, completion: 2 } });
    gateway = await startTollgate(limitedConfig(fake.url));
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  const call = (url: string, key: string, body: object = {}) =>
    fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hi" }],
        ...body,
      }),
    });

  const keyWithLimits = async (limits: object) => {
    const created = await gateway.createTenantWithKey("pro");
    const res = await gateway.admin("PATCH", `/api/admin/keys/${created.keyId}`, limits);
    assert.equal(res.status, 200);
    return created;
  };

  test("of 200 concurrent requests on a key limited to 50 a minute, exactly 50 reach the provider", async () => {
    const { key } = await keyWithLimits({ requestsPerMinute: 50 });
    const before = fake.requests.length;
    const responses = await Promise.all(Array.from({ length: 200 }, () => call(gateway.url, key)));
    const refused = responses.filter((r) => r.status === 429);
    assert.equal(responses.filter((r) => r.status === 200).length, 50);
    assert.equal(refused.length, 150);
    assert.equal(fake.requests.length - before, 50);
    for (const res of refused.slice(0, 10)) {
      const body = await res.json();
      assertValid("ErrorResponse", body);
      assert.deepEqual(body, requestRefusal(res, "key", 50));
      assert.ok(Number(res.headers.get("retry-after")) >= 1);
      assert.equal(res.headers.get("x-ratelimit-limit-requests"), "50");
      assert.equal(res.headers.get("x-ratelimit-remaining-requests"), "0");
    }
  });

  test("the tenant's limit holds across its keys", async () => {
    const { tenantId, key } = await gateway.createTenantWithKey("pro");
    await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, { tier: "limited" });
    const second = await gateway.admin("POST", `/api/admin/tenants/${tenantId}/keys`, {
      name: "second",
    });
    const key2 = ((await second.json()) as { key: string }).key;
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(gateway.url, i % 2 ? key : key2, { model: "demo" }),
      ),
    );
    assert.equal(responses.filter((r) => r.status === 200).length, 10);
    const refusedBody = await responses.find((r) => r.status === 429)?.json();
    assert.match(JSON.stringify(refusedBody), /requests per minute on this tenant: limit 10/);
  });

  test("tokens: with 1,000 a minute and requests of about 300, at most 1,000 are admitted", async () => {
    const { key } = await keyWithLimits({ tokensPerMinute: 1000 });
    // Each request is estimated at 8 prompt tokens plus a 292-token allowance: 300.
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => call(gateway.url, key, { max_tokens: 292 })),
    );
    assert.equal(responses.filter((r) => r.status === 200).length, 3);
    const refused = responses.find((r) => r.status === 429);
    assert.ok(refused);
    assert.match(
      ((await refused.json()) as { error: { message: string } }).error.message,
      /^Rate limit reached for tokens per minute on this key: limit 1,000, remaining 100; this request needs about 300\. Try again in/,
    );
  });

  test("a request larger than the token limit is refused and leaves the counters as they were", async () => {
    const { key } = await keyWithLimits({ tokensPerMinute: 1000 });
    const tooBig = await call(gateway.url, key, { max_tokens: 5000 });
    assert.equal(tooBig.status, 429);
    assert.deepEqual(await tooBig.json(), {
      error: {
        message:
          "This request needs about 5,008 tokens (prompt plus output allowance), more than the key's limit of 1,000 tokens per minute, so it can never be admitted. Lower max_tokens or shorten the prompt.",
        type: "rate_limit_error",
        param: null,
        code: "rate_limit_exceeded",
      },
    });
    const next = await call(gateway.url, key, { max_tokens: 292 });
    assert.equal(next.status, 200);
    assert.equal(next.headers.get("x-ratelimit-remaining-tokens"), "700");
  });

  test("a prompt too big for any model's context is a 400, before the token limit counts it", async () => {
    const { key } = await keyWithLimits({ tokensPerMinute: 1000 });
    const huge = await call(gateway.url, key, {
      messages: [{ role: "user", content: "lorem ".repeat(200_000) }],
    });
    assert.equal(huge.status, 400);
    const { error } = (await huge.json()) as { error: { code: string } };
    assert.equal(error.code, "context_length_exceeded");
    const next = await call(gateway.url, key, { max_tokens: 292 });
    assert.equal(next.headers.get("x-ratelimit-remaining-tokens"), "700");
  });

  test("tokens are corrected to the real usage after the call", async () => {
    const { key } = await keyWithLimits({ tokensPerMinute: 1000 });
    assert.equal((await call(gateway.url, key, { max_tokens: 292 })).status, 200);
    await new Promise((r) => setTimeout(r, 200));
    // The fake reports 10 prompt + 2 completion tokens: 12 counted instead of the 300 estimated.
    const next = await call(gateway.url, key, { max_tokens: 292 });
    assert.equal(next.headers.get("x-ratelimit-remaining-tokens"), String(1000 - 12 - 300));
  });

  test("failed provider calls count against requests per minute, refused ones do not", async () => {
    const { key } = await keyWithLimits({ requestsPerMinute: 2 });
    fake.script(
      { kind: "error", status: 500, message: "boom" },
      { kind: "error", status: 500, message: "boom" },
    );
    assert.equal((await call(gateway.url, key)).status, 500);
    assert.equal((await call(gateway.url, key)).status, 500);
    const before = fake.requests.length;
    const third = await call(gateway.url, key);
    assert.equal(third.status, 429);
    assert.equal(fake.requests.length, before);
  });

  test("a limit of 1 lets one request through, then one more after the window", async () => {
    // An instance whose window lasts 3 s instead of a minute, so the test can watch it pass.
    const quick = await startTollgate(limitedConfig(fake.url), {
      TOLLGATE_LIMIT_WINDOW_MS: String(WINDOW_MS),
    });
    after(() => quick.stop());
    const created = await quick.createTenantWithKey("pro");
    await quick.admin("PATCH", `/api/admin/keys/${created.keyId}`, { requestsPerMinute: 1 });
    const { key } = created;
    assert.equal((await call(quick.url, key)).status, 200);
    const refused = await call(quick.url, key);
    assert.equal(refused.status, 429);
    const waitMs = Number(refused.headers.get("retry-after-ms"));
    assert.ok(waitMs > 0 && waitMs <= WINDOW_MS);
    await new Promise((r) => setTimeout(r, waitMs + 50));
    // The previous window still weighs in just after the boundary; it fades within one window.
    let status = 429;
    const deadline = Date.now() + WINDOW_MS + 500;
    while (status === 429 && Date.now() < deadline) {
      status = (await call(quick.url, key)).status;
      if (status === 429) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200);
  });

  test("headers are present and decrease on streamed and non-streamed responses", async () => {
    const { key } = await keyWithLimits({ requestsPerMinute: 10, tokensPerMinute: 10_000 });
    const first = await call(gateway.url, key, { max_tokens: 92 });
    const second = await call(gateway.url, key, { max_tokens: 92, stream: true });
    await second.text();
    assert.equal(second.status, 200);
    const h = (res: Response, name: string) => res.headers.get(`x-ratelimit-${name}`);
    assert.deepEqual(
      [h(first, "limit-requests"), h(first, "remaining-requests"), h(second, "remaining-requests")],
      ["10", "9", "8"],
    );
    assert.deepEqual([h(first, "limit-tokens"), h(first, "remaining-tokens")], ["10000", "9900"]);
    assert.ok(Number(h(second, "remaining-tokens")) < 9900);
    assert.match(h(first, "reset-requests") ?? "", /^(\d+m)?\d+(ms|s)$/);
    assert.match(h(second, "reset-tokens") ?? "", /^(\d+m)?\d+(ms|s)$/);
  });

  test("three instances sharing Redis and Postgres admit exactly 50 in total", {
    skip: TEST_DB !== "postgres" && "needs the shared Redis",
  }, async () => {
    const second = await startTollgate(limitedConfig(fake.url), {}, gateway);
    const third = await startTollgate(limitedConfig(fake.url), {}, gateway);
    try {
      const { key } = await keyWithLimits({ requestsPerMinute: 50 });
      const before = fake.requests.length;
      const urls = [gateway.url, second.url, third.url];
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) => call(urls[i % 3] as string, key)),
      );
      assert.equal(responses.filter((r) => r.status === 200).length, 50);
      assert.equal(responses.filter((r) => r.status === 429).length, 150);
      assert.equal(fake.requests.length - before, 50);
    } finally {
      await second.stop();
      await third.stop();
    }
  });
});

/** The shared test config plus a tier whose tenant-wide limit is low. */
export function limitedConfig(openai: string) {
  const config = gatewayConfig({ openai });
  return {
    ...config,
    tiers: [
      ...config.tiers,
      {
        id: "limited",
        monthlyBudgetUsd: 1,
        requestsPerMinute: 10,
        tokensPerMinute: 100_000,
        models: ["demo", "gpt-4o"],
        fallbacks: { demo: [], "gpt-4o": [] },
      },
    ],
  };
}
