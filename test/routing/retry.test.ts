import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

function retryConfig(primary: string, secondary: string) {
  const provider = (id: string, url: string) => ({
    id,
    type: "openai",
    baseURL: `${url}/v1`,
    timeoutMs: 2000,
  });
  return {
    providers: [provider("primary", primary), provider("secondary", secondary)],
    models: [
      { id: "gpt-4o", provider: "primary", inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 },
      {
        id: "gpt-4o-mini",
        provider: "secondary",
        inputPerMillionUsd: 0.15,
        outputPerMillionUsd: 0.6,
      },
      { id: "o3", provider: "primary", inputPerMillionUsd: 2, outputPerMillionUsd: 8 },
    ],
    routing: { retries: 1, retryBaseMs: 50, maxRetryAfterMs: 1000, failureThreshold: 1000 },
    tiers: [
      {
        id: "basic",
        monthlyBudgetUsd: 10,
        requestsPerMinute: 1000,
        tokensPerMinute: 1_000_000,
        models: ["gpt-4o", "gpt-4o-mini"],
        outsideTier: "serve",
        fallbacks: { "gpt-4o": ["gpt-4o-mini"], "gpt-4o-mini": [] },
      },
    ],
  };
}

describe("retries on the same model, and models outside the tier", () => {
  let primary: FakeOpenAI;
  let secondary: FakeOpenAI;
  let gateway: Tollgate;
  let key: string;

  before(async () => {
    primary = await startFakeOpenAI();
    secondary = await startFakeOpenAI();
    gateway = await startTollgate(retryConfig(primary.url, secondary.url));
    ({ key } = await gateway.createTenantWithKey("basic"));
  });
  after(async () => {
    await gateway?.stop();
    await primary?.close();
    await secondary?.close();
  });

  const ask = (model: string) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model, max_tokens: 20, messages: [{ role: "user", content: "hi" }] }),
    });

  test("a 503 is retried once on the same model before falling back", async () => {
    primary.script({ kind: "error", status: 503, message: "busy" });
    const before = secondary.requests.length;
    const res = await ask("gpt-4o");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-tollgate-model"), "gpt-4o");
    assert.equal(res.headers.get("x-tollgate-attempts"), "2");
    assert.equal(secondary.requests.length, before);
  });

  test("two failures in a row on the same model fall back to the next one", async () => {
    primary.script(
      { kind: "error", status: 429, message: "slow down" },
      { kind: "error", status: 429, message: "slow down" },
    );
    const res = await ask("gpt-4o");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-tollgate-model"), "gpt-4o-mini");
    assert.equal(res.headers.get("x-tollgate-attempts"), "3");
    assert.equal(res.headers.get("x-tollgate-fallbacks"), "gpt-4o");
  });

  test("a model outside the tier is served from the tier's chain when the tier says so", async () => {
    const res = await ask("o3");
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { model: string }).model, "gpt-4o");
  });
});
