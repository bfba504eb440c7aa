import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { countTextTokens, estimatePromptTokens } from "@/lib/tokens/count";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

interface UsageDoc {
  tenantId: string;
  tier: string;
  spendUsd: number;
  spendNanoUsd: number;
  budgetUsd: number | null;
  remainingUsd: number | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  byModel: Array<{ model: string; spendUsd: number; requests: number }>;
}

describe("usage and exact cost", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI();
    gateway = await startTollgate(gatewayConfig({ openai: fake.url }));
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  const usage = async (key: string) => {
    const res = await fetch(`${gateway.url}/v1/usage`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.status, 200);
    return (await res.json()) as UsageDoc;
  };

  test("charges OpenAI cached tokens at the cached rate, one usage event per call", async () => {
    const { tenantId, key } = await gateway.createTenantWithKey("pro");
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
    fake.script(
      { kind: "text", content: "a", usage: { prompt: 1000, completion: 500, cached: 400 } },
      { kind: "text", content: "b", usage: { prompt: 1000, completion: 500, cached: 400 } },
    );
    await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "1" }],
    });
    await client.chat.completions
      .create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "2" }],
        stream: true,
      })
      .then(async (s) => {
        for await (const _ of s) {
          // drain
        }
      });

    const doc = await usage(key);
    // Per call: 600 uncached × $2.50 + 400 cached × $1.25 + 500 out × $10 per million = $0.007.
    assert.equal(doc.spendNanoUsd, 14_000_000);
    assert.equal(doc.spendUsd, 0.014);
    assert.equal(doc.tenantId, tenantId);
    assert.equal(doc.tier, "pro");
    assert.equal(doc.budgetUsd, 10);
    assert.equal(doc.remainingUsd, 9.986);
    assert.equal(doc.requests, 2);
    assert.equal(doc.inputTokens, 2000);
    assert.equal(doc.cacheReadTokens, 800);
    assert.equal(doc.outputTokens, 1000);
    assert.deepEqual(doc.byModel, [
      { model: "gpt-4o", spendUsd: 0.014, spendNanoUsd: 14_000_000, requests: 2 },
    ]);

    const admin = await gateway.admin("GET", `/api/admin/tenants/${tenantId}/usage`);
    assert.deepEqual(await admin.json(), doc);
  });

  test("a client that disconnects mid-stream is charged for what it received, and upstream is aborted", async () => {
    const { key } = await gateway.createTenantWithKey("pro");
    const content = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu";
    fake.script({
      kind: "text",
      content,
      usage: { prompt: 20, completion: 12 },
      chunkDelayMs: 300,
    });
    const controller = new AbortController();
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      signal: controller.signal,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        stream: true,
        messages: [{ role: "user", content: "greek" }],
      }),
    });
    const reader = res.body?.getReader();
    assert.ok(reader);
    let received = "";
    let buffered = "";
    const decoder = new TextDecoder();
    while (received.split(" ").filter(Boolean).length < 3) {
      const { value, done } = await reader.read();
      assert.equal(done, false);
      buffered += decoder.decode(value, { stream: true });
      const events = buffered.split("\n\n");
      buffered = events.pop() ?? "";
      for (const event of events) {
        const chunk = JSON.parse(event.slice(6)) as {
          choices: Array<{ delta: { content?: string } }>;
        };
        received += chunk.choices[0]?.delta.content ?? "";
      }
    }
    controller.abort();
    await fake.settled();
    assert.equal(fake.requests.at(-1)?.aborted, true);

    await new Promise((r) => setTimeout(r, 300));
    const doc = await usage(key);
    assert.equal(doc.requests, 1);
    assert.equal(doc.outputTokens, countTextTokens(received));
    assert.ok(doc.outputTokens < 12);
    // The provider never reported usage, so the prompt is counted with the tokenizer.
    const prompt = estimatePromptTokens({
      model: "gpt-4o",
      messages: [{ role: "user", content: "greek" }],
    });
    assert.equal(doc.inputTokens, prompt);
    const expected = Math.ceil((prompt * 2_500_000_000 + doc.outputTokens * 10_000_000_000) / 1e6);
    assert.equal(doc.spendNanoUsd, expected);
  });
});
