import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { countTextTokens, estimatePromptTokens } from "@/lib/tokens/count";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { assertValid } from "../helpers/openapi";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

interface UsageDoc {
  spendUsd: number;
  spendNanoUsd: number;
  requests: number;
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  byModel: Array<{ model: string; spendUsd: number; spendNanoUsd: number; requests: number }>;
}

/** A gateway whose `llama3.1` model is served by a fake Ollama; the OpenAI provider is unused. */
async function startWithOllama(fake: FakeOpenAI): Promise<Tollgate> {
  return startTollgate(gatewayConfig({ openai: fake.url, ollama: fake.url }), {
    TEST_OPENAI_KEY: "sk-openai-unused",
  });
}

async function usage(gateway: Tollgate, key: string): Promise<UsageDoc> {
  const res = await fetch(`${gateway.url}/v1/usage`, {
    headers: { authorization: `Bearer ${key}` },
  });
  assert.equal(res.status, 200);
  return (await res.json()) as UsageDoc;
}

async function newClient(gateway: Tollgate): Promise<{ client: OpenAI; key: string }> {
  const { key } = await gateway.createTenantWithKey("pro");
  return { client: new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 }), key };
}

describe("chat completions through Ollama, with the official openai client", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI({ flavor: "ollama" });
    gateway = await startWithOllama(fake);
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  test("answers a non-streamed request as llama3.1, sends max_tokens upstream and records it at no cost", async () => {
    const { client, key } = await newClient(gateway);
    fake.script({
      kind: "text",
      content: "Hello from llama",
      usage: { prompt: 15, completion: 4 },
    });
    const { data, response } = await client.chat.completions
      .create({
        model: "llama3.1",
        messages: [{ role: "user", content: "Hi" }],
        max_completion_tokens: 64,
      })
      .withResponse();

    assert.equal(response.headers.get("x-tollgate-model"), "llama3.1");
    assertValid("CreateChatCompletionResponse", data);
    assert.equal(data.model, "llama3.1");
    assert.equal(data.choices.length, 1);
    assert.equal(data.choices[0]?.message.content, "Hello from llama");
    assert.equal(data.choices[0]?.finish_reason, "stop");
    assert.deepEqual(data.usage, { prompt_tokens: 15, completion_tokens: 4, total_tokens: 19 });

    const upstream = fake.requests.at(-1);
    assert.equal(upstream?.path, "/v1/chat/completions");
    // Ollama reads only max_tokens, so the gateway renames the client's max_completion_tokens.
    assert.deepEqual(upstream?.body, {
      model: "llama3.1",
      messages: [{ role: "user", content: "Hi" }],
      max_tokens: 64,
    });

    const doc = await usage(gateway, key);
    assert.equal(doc.spendNanoUsd, 0);
    assert.equal(doc.spendUsd, 0);
    assert.equal(doc.requests, 1);
    assert.equal(doc.inputTokens, 15);
    assert.equal(doc.cacheReadTokens, 0);
    assert.equal(doc.cacheWriteTokens, 0);
    assert.equal(doc.outputTokens, 4);
    assert.deepEqual(doc.byModel, [
      { model: "llama3.1", spendUsd: 0, spendNanoUsd: 0, requests: 1 },
    ]);
  });

  test("streams an answer as llama3.1 with Ollama's usage, and records it at no cost", async () => {
    const { client, key } = await newClient(gateway);
    const content = "Llamas hum when they are curious.";
    fake.script({ kind: "text", content, usage: { prompt: 21, completion: 8 } });
    const stream = await client.chat.completions.create({
      model: "llama3.1",
      messages: [{ role: "user", content: "Tell me a llama fact" }],
      max_completion_tokens: 32,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let chunks = 0;
    const finishReasons: string[] = [];
    const usages: OpenAI.CompletionUsage[] = [];
    for await (const chunk of stream) {
      chunks += 1;
      assertValid("CreateChatCompletionStreamResponse", chunk);
      assert.equal(chunk.model, "llama3.1");
      text += chunk.choices[0]?.delta.content ?? "";
      const finish = chunk.choices[0]?.finish_reason;
      if (finish) finishReasons.push(finish);
      if (chunk.usage) usages.push(chunk.usage);
    }
    assert.equal(text, content);
    assert.ok(chunks > 2);
    assert.deepEqual(finishReasons, ["stop"]);
    assert.deepEqual(usages, [
      {
        prompt_tokens: 21,
        completion_tokens: 8,
        total_tokens: 29,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    ]);

    const upstream = fake.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(upstream.max_tokens, 32);
    assert.equal("max_completion_tokens" in upstream, false);
    assert.equal(upstream.stream, true);
    assert.deepEqual(upstream.stream_options, { include_usage: true });

    const doc = await usage(gateway, key);
    assert.equal(doc.spendNanoUsd, 0);
    assert.equal(doc.requests, 1);
    assert.equal(doc.inputTokens, 21);
    assert.equal(doc.outputTokens, 8);
    assert.deepEqual(doc.byModel, [
      { model: "llama3.1", spendUsd: 0, spendNanoUsd: 0, requests: 1 },
    ]);
  });
});

describe("chat completions through an old Ollama that streams without usage", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI({ flavor: "ollama", streamUsage: false });
    gateway = await startWithOllama(fake);
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  test("still records a streamed call, with the tokens counted by the gateway", async () => {
    const { client, key } = await newClient(gateway);
    const content = "An answer from a llama too old to count its tokens.";
    fake.script({ kind: "text", content });
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: "user", content: "Say something" },
    ];
    const stream = await client.chat.completions.create({
      model: "llama3.1",
      messages,
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) {
      assert.equal(chunk.model, "llama3.1");
      assert.equal(chunk.usage, undefined);
      text += chunk.choices[0]?.delta.content ?? "";
    }
    assert.equal(text, content);

    const doc = await usage(gateway, key);
    assert.equal(doc.requests, 1);
    assert.equal(doc.spendNanoUsd, 0);
    assert.ok(doc.outputTokens > 0);
    // Nothing reported upstream: the prompt and the streamed text are counted with the tokenizer.
    assert.equal(doc.outputTokens, countTextTokens(content));
    assert.equal(doc.inputTokens, estimatePromptTokens({ model: "llama3.1", messages }));
    assert.deepEqual(doc.byModel, [
      { model: "llama3.1", spendUsd: 0, spendNanoUsd: 0, requests: 1 },
    ]);
  });
});
