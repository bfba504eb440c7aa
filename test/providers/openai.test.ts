import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { APIUserAbortError } from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { createOpenAIAdapter } from "@/lib/providers/openai";
import { type StreamEvent, UpstreamError } from "@/lib/providers/types";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/fakes/openai";
import { assertValid } from "@/test/helpers/openapi";

const fixtureDir = join(import.meta.dirname, "..", "fixtures", "openai");
const recordedChunks = readFileSync(join(fixtureDir, "openai_chat_openai-text.chunks.txt"), "utf8")
  .split("\n")
  .filter((line) => line !== "")
  .map((line): unknown => JSON.parse(line));
const recordedText = readFileSync(join(fixtureDir, "openai_chat_openai-text.json"), "utf8");

let fake: FakeOpenAI;
before(async () => {
  fake = await startFakeOpenAI();
});
after(() => fake.close());

const adapter = (timeoutMs = 5000) =>
  createOpenAIAdapter({ id: "openai", baseURL: `${fake.url}/v1`, apiKey: "sk-test", timeoutMs });
const options = (signal = new AbortController().signal) => ({
  upstreamModel: "gpt-upstream",
  signal,
  maxOutputTokens: 4096,
});
const hello = { model: "gw-model", messages: [{ role: "user" as const, content: "hello there" }] };

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}
const chunksOf = (events: StreamEvent[]) =>
  events.flatMap((e) => (e.type === "chunk" ? [e.chunk] : []));
const textOf = (events: StreamEvent[]) =>
  chunksOf(events)
    .map((c) => c.choices[0]?.delta.content ?? "")
    .join("");
const lastRequestBody = () => fake.requests.at(-1)?.body;

describe("OpenAI adapter request", () => {
  test("sends every client field upstream with only the model replaced", async () => {
    const request: ChatCompletionCreateParamsNonStreaming = {
      model: "gw-model",
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "low" } },
          ],
        },
      ],
      tools: [
        {
          type: "function",
          function: { name: "lookup", parameters: { type: "object", properties: {} } },
        },
      ],
      tool_choice: "auto",
      response_format: { type: "json_object" },
      n: 2,
      stop: ["END"],
      seed: 7,
      temperature: 0.2,
      max_completion_tokens: 50,
      user: "tenant-1",
    };
    const result = await adapter().complete(request, options());
    assert.deepEqual(lastRequestBody(), { ...request, model: "gpt-upstream" });
    assert.equal(fake.requests.at(-1)?.path, "/v1/chat/completions");
    assert.equal(fake.requests.at(-1)?.headers.authorization, "Bearer sk-test");
    assert.equal(result.body.choices.length, 2);
  });

  test("a server configured for max_tokens gets the limit there, streamed or not", async () => {
    const legacy = createOpenAIAdapter({
      id: "vllm",
      baseURL: `${fake.url}/v1`,
      apiKey: "sk-test",
      timeoutMs: 5000,
      maxTokensParam: "max_tokens",
    });
    await legacy.complete({ ...hello, max_completion_tokens: 50 }, options());
    assert.deepEqual(lastRequestBody(), { ...hello, model: "gpt-upstream", max_tokens: 50 });
    await collect(legacy.stream({ ...hello, stream: true, max_completion_tokens: 7 }, options()));
    const body = lastRequestBody() as Record<string, unknown>;
    assert.equal(body.max_tokens, 7);
    assert.equal("max_completion_tokens" in body, false);
  });

  test("streams always ask upstream for usage and keep the client's other stream options", async () => {
    await collect(adapter().stream({ ...hello, stream: true }, options()));
    assert.deepEqual(lastRequestBody(), {
      ...hello,
      model: "gpt-upstream",
      stream: true,
      stream_options: { include_usage: true },
    });
    const withOptions = { ...hello, stream: true as const };
    const streamOptions = { include_usage: false, include_obfuscation: false };
    await collect(adapter().stream({ ...withOptions, stream_options: streamOptions }, options()));
    const body = lastRequestBody();
    assert.ok(typeof body === "object" && body !== null && "stream_options" in body);
    assert.deepEqual(body.stream_options, { include_usage: true, include_obfuscation: false });
  });
});

describe("OpenAI adapter results", () => {
  test("returns the completion and splits cached tokens out of the input tokens", async () => {
    fake.script({
      kind: "text",
      content: "Hi!",
      usage: { prompt: 120, completion: 30, cached: 100 },
    });
    const result = await adapter().complete(hello, options());
    assert.equal(result.body.choices[0]?.message.content, "Hi!");
    assert.equal(result.body.model, "gpt-upstream");
    assert.deepEqual(result.usage, {
      inputTokens: 20,
      cacheReadTokens: 100,
      cacheWriteTokens: 0,
      outputTokens: 30,
    });
    assertValid("CreateChatCompletionResponse", result.body);
  });

  test("returns a recorded OpenAI completion unchanged with its usage", async () => {
    fake.script({ kind: "replay", fixture: "openai-text" });
    const result = await adapter().complete(hello, options());
    assert.deepEqual(result.body, JSON.parse(recordedText));
    assert.deepEqual(result.usage, {
      inputTokens: 16,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 363,
    });
    assertValid("CreateChatCompletionResponse", result.body);
  });

  test("replays a recorded stream as chunks without usage, then one final usage event", async () => {
    fake.script({ kind: "replay", fixture: "openai-text" });
    const events = await collect(adapter().stream({ ...hello, stream: true }, options()));
    const chunks = chunksOf(events);
    assert.equal(chunks.length, recordedChunks.length - 1);
    const expected = recordedChunks.slice(0, -1).map((c) => {
      const { usage: _usage, ...rest } = c as Record<string, unknown>;
      return rest;
    });
    assert.deepEqual(chunks, expected);
    assert.ok(chunks.every((c) => !("usage" in c)));
    const recordedContent = recordedChunks
      .map(
        (c) => (c as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content,
      )
      .join("");
    assert.equal(textOf(events), recordedContent);
    assert.equal(textOf(events).length, 1724);
    assert.ok(textOf(events).startsWith("**Holiday Name:** Harmony Day\n\n**Date:**"));
    assert.ok(textOf(events).endsWith("shared human experiences and mutual respect."));
    assert.deepEqual(events.at(-1), {
      type: "usage",
      usage: { inputTokens: 16, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 300 },
      final: true,
    });
    assert.equal(events.filter((e) => e.type === "usage").length, 1);
    for (const chunk of chunks) assertValid("CreateChatCompletionStreamResponse", chunk);
  });

  test("strips usage from a chunk that also carries choices and reports it as an event", async () => {
    const head = { id: "c1", object: "chat.completion.chunk", created: 1, model: "m" };
    const choice = { index: 0, delta: { content: "ok" }, logprobs: null, finish_reason: "stop" };
    const usage = { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 };
    fake.script({ kind: "events", events: [{ ...head, choices: [choice], usage }] });
    const events = await collect(adapter().stream({ ...hello, stream: true }, options()));
    assert.deepEqual(events, [
      { type: "chunk", chunk: { ...head, choices: [choice] } },
      {
        type: "usage",
        usage: { inputTokens: 9, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1 },
        final: true,
      },
    ]);
  });

  test("streams a recorded tool call whose arguments re-assemble exactly", async () => {
    fake.script({ kind: "replay", fixture: "tool-call" });
    const events = await collect(adapter().stream({ ...hello, stream: true }, options()));
    const calls = chunksOf(events).flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    assert.equal(calls[0]?.function?.name, "read_file");
    assert.equal(calls.map((c) => c.function?.arguments ?? "").join(""), '{"path": "a.txt"}');
    assert.equal(textOf(events), "Reading it.");
    assert.equal(events.filter((e) => e.type === "usage").length, 0);
    for (const chunk of chunksOf(events)) assertValid("CreateChatCompletionStreamResponse", chunk);
  });

  test("returns a tool-call completion that matches the spec", async () => {
    fake.script({ kind: "toolCall", name: "lookup", arguments: '{"q":"x"}', id: "call_1" });
    const result = await adapter().complete(hello, options());
    assert.deepEqual(result.body.choices[0]?.message.tool_calls, [
      { id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } },
    ]);
    assert.equal(result.body.choices[0]?.finish_reason, "tool_calls");
    assertValid("CreateChatCompletionResponse", result.body);
  });
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail("expected a rejection");
}

function assertUpstream(err: unknown, expected: Record<string, unknown>): void {
  assert.ok(err instanceof UpstreamError, `expected UpstreamError, got ${String(err)}`);
  const { status, providerId, type, code, param, message } = err;
  assert.deepEqual({ status, providerId, type, code, param, message }, expected);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  assert.ok(typeof address === "object" && address !== null);
  return address.port;
}

describe("OpenAI adapter errors", () => {
  test("maps a 429 to an UpstreamError with the upstream's type and code", async () => {
    const rateLimit = {
      message: "Rate limit reached",
      type: "requests",
      code: "rate_limit_exceeded",
    };
    fake.script({ kind: "error", status: 429, ...rateLimit });
    assertUpstream(await rejection(adapter().complete(hello, options())), {
      status: 429,
      providerId: "openai",
      type: "requests",
      code: "rate_limit_exceeded",
      param: null,
      message: 'Upstream provider "openai" returned 429: Rate limit reached',
    });
  });

  test("maps a recorded 400 keeping param and code, on streams too", async () => {
    const expected = {
      status: 400,
      providerId: "openai",
      type: "invalid_request_error",
      code: "unsupported_parameter",
      param: "max_tokens",
      message:
        "Upstream provider \"openai\" returned 400: Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    };
    fake.script({ kind: "replay", fixture: "legacy-parameter-error" });
    assertUpstream(await rejection(adapter().complete(hello, options())), expected);
    fake.script({ kind: "replay", fixture: "legacy-parameter-error" });
    const stream = adapter().stream({ ...hello, stream: true }, options());
    assertUpstream(await rejection(collect(stream)), expected);
  });

  test("maps an error event inside a stream after the chunks already sent", async () => {
    fake.script({ kind: "streamError", after: 2, message: "overloaded", code: "server_busy" });
    const events: StreamEvent[] = [];
    const err = await rejection(
      (async () => {
        for await (const e of adapter().stream({ ...hello, stream: true }, options()))
          events.push(e);
      })(),
    );
    assert.equal(events.length, 2);
    assertUpstream(err, {
      status: 502,
      providerId: "openai",
      type: "server_error",
      code: "server_busy",
      param: null,
      message: 'Upstream provider "openai" failed mid-stream: overloaded',
    });
  });

  test("reports an unreachable upstream as 502 upstream_unreachable", async () => {
    const port = await closedPort();
    const down = createOpenAIAdapter({
      id: "openai",
      baseURL: `http://127.0.0.1:${port}/v1`,
      apiKey: undefined,
      timeoutMs: 5000,
    });
    const err = await rejection(down.complete(hello, options()));
    assert.ok(err instanceof UpstreamError);
    assert.deepEqual([err.status, err.code, err.type], [502, "upstream_unreachable", "api_error"]);
    assert.match(err.message, /^Upstream provider "openai" is unreachable: /);
  });

  test("reports an upstream slower than the timeout as 504 upstream_timeout", async () => {
    fake.script({ kind: "text", delayMs: 1000 });
    assertUpstream(await rejection(adapter(100).complete(hello, options())), {
      status: 504,
      providerId: "openai",
      type: "api_error",
      code: "upstream_timeout",
      param: null,
      message: 'Upstream provider "openai" timed out',
    });
  });
});

describe("OpenAI adapter aborts", () => {
  const slow = { kind: "text" as const, content: "tick ".repeat(40).trim(), chunkDelayMs: 20 };

  test("aborting the signal mid-stream throws an abort and cuts the upstream request", async () => {
    fake.script(slow);
    const controller = new AbortController();
    let seen = 0;
    const err = await rejection(
      (async () => {
        for await (const _event of adapter().stream(
          { ...hello, stream: true },
          options(controller.signal),
        )) {
          seen += 1;
          if (seen === 3) controller.abort();
        }
      })(),
    );
    assert.ok(err instanceof APIUserAbortError);
    assert.equal(seen, 3);
    await fake.settled();
    assert.equal(fake.requests.at(-1)?.aborted, true);
  });

  test("a consumer that stops reading cuts the upstream request", async () => {
    fake.script(slow);
    for await (const _event of adapter().stream({ ...hello, stream: true }, options())) break;
    await fake.settled();
    assert.equal(fake.requests.at(-1)?.aborted, true);
  });

  test("an already aborted signal throws an abort, not an UpstreamError", async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await rejection(adapter().complete(hello, options(controller.signal)));
    assert.ok(err instanceof APIUserAbortError);
  });
});
