import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createOllamaAdapter } from "@/lib/providers/ollama";
import { type StreamEvent, UnsupportedFeatureError, UpstreamError } from "@/lib/providers/types";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/fakes/openai";
import { assertValid } from "@/test/helpers/openapi";

let fake: FakeOpenAI;
let oldFake: FakeOpenAI;
before(async () => {
  fake = await startFakeOpenAI({ flavor: "ollama" });
  oldFake = await startFakeOpenAI({ flavor: "ollama", streamUsage: false });
});
after(async () => {
  await fake.close();
  await oldFake.close();
});

const adapter = (baseURL = fake.url) =>
  createOllamaAdapter({ id: "ollama", baseURL, apiKey: undefined, timeoutMs: 5000 });
const options = () => ({
  upstreamModel: "llama3.2",
  signal: new AbortController().signal,
  maxOutputTokens: 4096,
});
const hello = { model: "gw-local", messages: [{ role: "user" as const, content: "hi llama" }] };

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail("expected a rejection");
}

describe("Ollama adapter", () => {
  test("calls Ollama's /v1 endpoint with a placeholder key, whether or not the URL has /v1", async () => {
    const countBefore = fake.requests.length;
    await adapter().complete(hello, options());
    await adapter(`${fake.url}/`).complete(hello, options());
    await adapter(`${fake.url}/v1`).complete(hello, options());
    const sent = fake.requests.slice(countBefore);
    assert.deepEqual(
      sent.map((r) => r.path),
      ["/v1/chat/completions", "/v1/chat/completions", "/v1/chat/completions"],
    );
    assert.equal(sent[0]?.headers.authorization, "Bearer ollama");
  });

  test("sends max_completion_tokens as max_tokens and keeps the other fields", async () => {
    const request = { ...hello, max_completion_tokens: 64, temperature: 0.5, seed: 3 };
    await adapter().complete(request, options());
    assert.deepEqual(fake.requests.at(-1)?.body, {
      model: "llama3.2",
      messages: hello.messages,
      temperature: 0.5,
      seed: 3,
      max_tokens: 64,
    });
    await collect(adapter().stream({ ...request, stream: true }, options()));
    assert.deepEqual(fake.requests.at(-1)?.body, {
      model: "llama3.2",
      messages: hello.messages,
      temperature: 0.5,
      seed: 3,
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  test("refuses n greater than 1 before calling Ollama", async () => {
    const countBefore = fake.requests.length;
    for (const call of [
      () => adapter().complete({ ...hello, n: 2 }, options()),
      () => collect(adapter().stream({ ...hello, n: 2, stream: true }, options())),
    ]) {
      const err = await rejection(call());
      assert.ok(err instanceof UnsupportedFeatureError);
      assert.equal(err.param, "n");
      assert.equal(err.message, "Ollama does not support n greater than 1.");
    }
    assert.equal(fake.requests.length, countBefore);
  });

  test("maps a plain-string error body to a readable message", async () => {
    const body = { error: 'model "llama9" not found, try pulling it first' };
    fake.script({ kind: "error", status: 404, body });
    const err = await rejection(adapter().complete(hello, options()));
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.status, 404);
    assert.equal(err.providerId, "ollama");
    assert.equal(err.code, null);
    assert.equal(
      err.message,
      'Upstream provider "ollama" returned 404: model "llama9" not found, try pulling it first',
    );
  });

  test("maps an OpenAI-shaped error body from its compatibility layer", async () => {
    fake.script({ kind: "error", status: 500, message: "model runner crashed", type: "api_error" });
    const err = await rejection(collect(adapter().stream({ ...hello, stream: true }, options())));
    assert.ok(err instanceof UpstreamError);
    assert.deepEqual([err.status, err.type], [500, "api_error"]);
    assert.equal(err.message, 'Upstream provider "ollama" returned 500: model runner crashed');
  });

  test("reports usage from a stream when Ollama sends it", async () => {
    const events = await collect(adapter().stream({ ...hello, stream: true }, options()));
    assert.deepEqual(events.at(-1), {
      type: "usage",
      usage: { inputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 3 },
      final: true,
    });
    for (const e of events)
      if (e.type === "chunk") assertValid("CreateChatCompletionStreamResponse", e.chunk);
  });

  test("yields no usage event when an older Ollama streams without usage", async () => {
    const events = await collect(
      adapter(oldFake.url).stream({ ...hello, stream: true }, options()),
    );
    assert.equal(events.filter((e) => e.type === "usage").length, 0);
    const text = events.map((e) =>
      e.type === "chunk" ? (e.chunk.choices[0]?.delta.content ?? "") : "",
    );
    assert.equal(text.join(""), "Echo: hi llama");
  });

  test("returns the completion with usage from Ollama's three totals", async () => {
    fake.script({ kind: "text", content: "Hello.", usage: { prompt: 26, completion: 3 } });
    const result = await adapter().complete(hello, options());
    assert.equal(result.body.choices[0]?.message.content, "Hello.");
    assert.deepEqual(result.usage, {
      inputTokens: 26,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 3,
    });
    assertValid("CreateChatCompletionResponse", result.body);
  });
});
