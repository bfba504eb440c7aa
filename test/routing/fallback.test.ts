import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type FakeBehaviour, type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { freePort, startTollgate, TEST_DB, type Tollgate } from "../helpers/tollgate";

const TIMEOUT_MS = 800;

/** gpt-4o on the primary fake, gpt-4o-mini on the secondary; a dead provider; small and large windows. */
function fallbackConfig(
  primary: string,
  secondary: string,
  deadPort: number,
  failureThreshold = 1000,
) {
  const provider = (id: string, url: string) => ({
    id,
    type: "openai",
    baseURL: `${url}/v1`,
    timeoutMs: TIMEOUT_MS,
  });
  return {
    providers: [
      provider("primary", primary),
      provider("secondary", secondary),
      provider("dead", `http://127.0.0.1:${deadPort}`),
    ],
    models: [
      { id: "gpt-4o", provider: "primary", inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 },
      {
        id: "gpt-4o-mini",
        provider: "secondary",
        inputPerMillionUsd: 0.15,
        outputPerMillionUsd: 0.6,
      },
      { id: "gone", provider: "dead", inputPerMillionUsd: 1, outputPerMillionUsd: 1 },
      {
        id: "small",
        provider: "primary",
        inputPerMillionUsd: 1,
        outputPerMillionUsd: 1,
        contextWindow: 8192,
        maxOutputTokens: 1000,
      },
      {
        id: "large",
        provider: "secondary",
        inputPerMillionUsd: 1,
        outputPerMillionUsd: 1,
        contextWindow: 200_000,
        maxOutputTokens: 1000,
      },
    ],
    routing: { retries: 0, failureThreshold, cooldownMs: 60_000 },
    tiers: [
      {
        id: "pro",
        monthlyBudgetUsd: 10,
        requestsPerMinute: 10_000,
        tokensPerMinute: 10_000_000,
        models: ["gpt-4o", "gpt-4o-mini", "gone", "small", "large"],
        fallbacks: {
          "gpt-4o": ["gpt-4o-mini"],
          gone: ["gpt-4o-mini"],
          small: ["large"],
          "gpt-4o-mini": [],
          large: [],
        },
      },
    ],
  };
}

interface Answer {
  status: number;
  model: string | undefined;
  headers: Headers;
  text: string;
}

describe("fallback along the model chain", () => {
  let primary: FakeOpenAI;
  let secondary: FakeOpenAI;
  let gateway: Tollgate;
  let tenantId: string;
  let key: string;
  let deadPort: number;

  before(async () => {
    primary = await startFakeOpenAI();
    secondary = await startFakeOpenAI();
    secondary.setDefault({
      kind: "text",
      content: "from the fallback",
      usage: { prompt: 10, completion: 4 },
    });
    deadPort = await freePort();
    gateway = await startTollgate(fallbackConfig(primary.url, secondary.url, deadPort));
    ({ tenantId, key } = await gateway.createTenantWithKey("pro"));
  });
  after(async () => {
    await gateway?.stop();
    await primary?.close();
    await secondary?.close();
  });

  async function ask(
    model: string,
    stream: boolean,
    extra: object = {},
    url = gateway.url,
  ): Promise<Answer> {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model,
        stream,
        max_tokens: 50,
        messages: [{ role: "user", content: "hi" }],
        ...extra,
      }),
    });
    const text = await res.text();
    if (!stream || res.status !== 200) {
      const body = JSON.parse(text) as { model?: string };
      return { status: res.status, model: body.model, headers: res.headers, text };
    }
    const chunks = text
      .split("\n\n")
      .filter((e) => e.startsWith("data: {"))
      .map(
        (e) =>
          JSON.parse(e.slice(6)) as {
            model: string;
            choices: Array<{ delta: { content?: string } }>;
          },
      );
    const models = new Set(chunks.map((c) => c.model));
    assert.equal(models.size, 1, `one model in the stream, got ${[...models]}`);
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    return { status: res.status, model: chunks[0]?.model, headers: res.headers, text: content };
  }

  const triggers: Array<{ name: string; model: string; primary?: FakeBehaviour }> = [
    {
      name: "a provider 429",
      model: "gpt-4o",
      primary: {
        kind: "error",
        status: 429,
        message: "Rate limit reached",
        type: "rate_limit_error",
        code: "rate_limit_exceeded",
      },
    },
    {
      name: "a provider 500",
      model: "gpt-4o",
      primary: { kind: "error", status: 500, message: "boom", type: "server_error" },
    },
    {
      name: "a provider 503 (Anthropic's 529 arrives as 503)",
      model: "gpt-4o",
      primary: { kind: "error", status: 503, message: "Overloaded" },
    },
    {
      name: "a timeout",
      model: "gpt-4o",
      primary: { kind: "text", content: "late", delayMs: TIMEOUT_MS + 700 },
    },
    {
      name: "a context-length overflow",
      model: "gpt-4o",
      primary: {
        kind: "error",
        status: 400,
        message:
          "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
        code: "context_length_exceeded",
        param: "messages",
      },
    },
    { name: "a connection error", model: "gone" },
    {
      name: "the provider refusing the gateway's own key (401)",
      model: "gpt-4o",
      primary: {
        kind: "error",
        status: 401,
        message: "Incorrect API key provided",
        type: "invalid_request_error",
        code: "invalid_api_key",
      },
    },
  ];

  for (const trigger of triggers) {
    for (const stream of [false, true]) {
      test(`${trigger.name} falls back (${stream ? "streamed" : "non-streamed"}); the answer, headers and usage name the fallback`, async () => {
        if (trigger.primary) primary.script(trigger.primary);
        const before = secondary.requests.length;
        const answer = await ask(trigger.model, stream);
        assert.equal(answer.status, 200);
        assert.equal(answer.model, "gpt-4o-mini");
        assert.equal(answer.headers.get("x-tollgate-model"), "gpt-4o-mini");
        assert.equal(answer.headers.get("x-tollgate-fallbacks"), trigger.model);
        assert.equal(answer.headers.get("x-tollgate-cooldown"), null);
        if (stream) assert.equal(answer.text, "from the fallback");
        assert.equal(secondary.requests.length - before, 1);
      });
    }
  }

  test("the fallback's usage is priced at the fallback's rate", async () => {
    const res = await fetch(`${gateway.url}/v1/usage`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const doc = (await res.json()) as {
      byModel: Array<{ model: string; spendNanoUsd: number; requests: number }>;
    };
    const mini = doc.byModel.find((m) => m.model === "gpt-4o-mini");
    // 14 calls, each 10 prompt tokens at $0.15 and 4 completion tokens at $0.60 per million.
    assert.deepEqual(mini, {
      model: "gpt-4o-mini",
      spendUsd: 0.0000546,
      spendNanoUsd: 14 * (1500 + 2400),
      requests: 14,
    });
    void tenantId;
  });

  test("a 400 from the primary is answered at once; the fallback is never called", async () => {
    primary.script({
      kind: "error",
      status: 400,
      message: "Invalid 'temperature'",
      param: "temperature",
      code: "invalid_value",
    });
    const before = secondary.requests.length;
    const answer = await ask("gpt-4o", false);
    assert.equal(answer.status, 400);
    assert.deepEqual(JSON.parse(answer.text), {
      error: {
        message: "Upstream provider \"primary\" returned 400: Invalid 'temperature'",
        type: "invalid_request_error",
        param: "temperature",
        code: "invalid_value",
      },
    });
    assert.equal(secondary.requests.length, before);
  });

  test("a hanging primary is answered by the fallback within the timeout plus the fallback's time", async () => {
    primary.script({ kind: "text", content: "never", delayMs: 10_000 });
    const started = performance.now();
    const answer = await ask("gpt-4o", false);
    const elapsed = performance.now() - started;
    assert.equal(answer.model, "gpt-4o-mini");
    assert.ok(elapsed < TIMEOUT_MS + 1000, `took ${Math.round(elapsed)} ms`);
  });

  test("a prompt too big for the 8k model goes straight to the 200k one; nothing fitting is a 400", async () => {
    const before = primary.requests.length;
    const big = "lorem ".repeat(9000);
    const answer = await ask("small", false, { messages: [{ role: "user", content: big }] });
    assert.equal(answer.model, "large");
    assert.equal(primary.requests.length, before);
    const huge = await ask("small", false, {
      messages: [{ role: "user", content: "lorem ".repeat(300_000) }],
    });
    assert.equal(huge.status, 400);
    assert.deepEqual(JSON.parse(huge.text), {
      error: {
        message:
          "The prompt plus the requested output does not fit the context window of any model this request may use. Shorten the messages or lower max_tokens.",
        type: "invalid_request_error",
        param: "messages",
        code: "context_length_exceeded",
      },
    });
  });

  test("a stream cut after a few chunks ends with an error event and [DONE], not a fallback", async () => {
    primary.script({
      kind: "streamError",
      after: 3,
      message: "connection reset",
      type: "server_error",
    });
    const before = secondary.requests.length;
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        stream: true,
        messages: [{ role: "user", content: "one two three four five" }],
      }),
    });
    assert.equal(res.status, 200);
    const events = (await res.text()).split("\n\n").filter(Boolean);
    assert.equal(events.at(-1), "data: [DONE]");
    const error = JSON.parse(events.at(-2)?.slice(6) ?? "{}") as { error?: { type: string } };
    assert.equal(error.error?.type, "server_error");
    assert.equal(secondary.requests.length, before);
  });

  test("a budget that cannot pay for the model asked for is served by the cheaper one that fits", async () => {
    const tenant = await gateway.createTenantWithKey("pro");
    // gpt-4o with max_tokens 50 reserves ~$0.0006; gpt-4o-mini ~$0.00004. The cap pays for the latter.
    await gateway.admin("PATCH", `/api/admin/tenants/${tenant.tenantId}`, {
      monthlyBudgetUsd: 0.0001,
    });
    const before = primary.requests.length;
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        max_tokens: 50,
        messages: [{ role: "user", content: "hi" }],
      }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { model: string }).model, "gpt-4o-mini");
    assert.equal(primary.requests.length, before);
  });

  test("after repeated failures the primary is skipped during its cooldown, by every instance", async () => {
    // Instances of their own, whose breaker opens after 3 failures in a row.
    const config = fallbackConfig(primary.url, secondary.url, deadPort, 3);
    const first = await startTollgate(config);
    const second = TEST_DB === "postgres" ? await startTollgate(config, {}, first) : first;
    try {
      ({ key } = await first.createTenantWithKey("pro"));
      for (let i = 0; i < 3; i++) {
        primary.script({ kind: "error", status: 500, message: "down" });
        assert.equal((await ask("gpt-4o", false, {}, first.url)).model, "gpt-4o-mini");
      }
      await new Promise((r) => setTimeout(r, 100));
      const before = primary.requests.length;
      for (const url of [first.url, second.url, first.url, second.url]) {
        const answer = await ask("gpt-4o", false, {}, url);
        assert.equal(answer.model, "gpt-4o-mini");
        assert.equal(answer.headers.get("x-tollgate-fallbacks"), null);
        assert.equal(answer.headers.get("x-tollgate-cooldown"), "gpt-4o");
      }
      assert.equal(primary.requests.length, before);
    } finally {
      if (second !== first) await second.stop();
      await first.stop();
    }
  });
});
