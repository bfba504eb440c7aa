import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { createAnthropicAdapter } from "@/lib/providers/anthropic";
import type { CallOptions, ChatRequest, NormalizedUsage, StreamEvent } from "@/lib/providers/types";
import { UpstreamError } from "@/lib/providers/types";
import { type FakeAnthropic, startFakeAnthropic } from "@/test/fakes/anthropic";
import { assertValid } from "@/test/helpers/openapi";

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic();
});
after(() => fake.close());

const request: ChatRequest = {
  model: "gateway-model",
  stream: true,
  messages: [{ role: "user", content: "Hi" }],
};

function options(): CallOptions {
  const signal = new AbortController().signal;
  return { upstreamModel: "claude-sonnet-4-5", signal, maxOutputTokens: 1024 };
}

async function collect(): Promise<StreamEvent[]> {
  const adapter = createAnthropicAdapter({
    id: "anthropic",
    baseURL: fake.url,
    apiKey: "k",
    timeoutMs: 5_000,
  });
  const events: StreamEvent[] = [];
  for await (const event of adapter.stream(request, options())) events.push(event);
  return events;
}

/** The chunks' choices, checked against OpenAI's schema and for a shared id, model and created. */
function choices(events: StreamEvent[], id: string, model: string): ChatCompletionChunk.Choice[] {
  const chunks = events.flatMap((e) => (e.type === "chunk" ? [e.chunk] : []));
  const created = chunks[0]?.created;
  for (const chunk of chunks) {
    assertValid("CreateChatCompletionStreamResponse", chunk);
    assert.deepEqual(
      { id: chunk.id, object: chunk.object, model: chunk.model, created: chunk.created },
      { id, object: "chat.completion.chunk", model, created },
    );
    assert.equal(chunk.choices.length, 1);
  }
  return chunks.map((chunk) => chunk.choices[0] as ChatCompletionChunk.Choice);
}

function usages(events: StreamEvent[]): Array<{ usage: NormalizedUsage; final: boolean }> {
  return events.flatMap((e) => (e.type === "usage" ? [{ usage: e.usage, final: e.final }] : []));
}

const choice = (delta: ChatCompletionChunk.Choice.Delta, finish: string | null = null) => ({
  index: 0,
  delta,
  finish_reason: finish,
  logprobs: null,
});

describe("Anthropic streaming", () => {
  test("replays basic_response.txt as OpenAI chunks with usage at start and end", async () => {
    fake.script({ kind: "fixture", file: "anthropic-sdk-typescript/basic_response.txt" });
    const events = await collect();
    const id = "chatcmpl-msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK";
    assert.deepEqual(choices(events, id, "claude-opus-4-8"), [
      choice({ role: "assistant", content: "" }),
      choice({ content: "Hello" }),
      choice({ content: " there" }),
      choice({ content: "!" }),
      choice({}, "stop"),
    ]);
    assert.deepEqual(usages(events), [
      {
        usage: { inputTokens: 11, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1 },
        final: false,
      },
      {
        usage: { inputTokens: 11, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 6 },
        final: true,
      },
    ]);
    // The first usage event follows the role chunk; the final one follows the finish chunk.
    assert.deepEqual(
      events.map((e) => e.type),
      ["chunk", "usage", "chunk", "chunk", "chunk", "chunk", "usage"],
    );
  });

  test("streams a tool_use block as tool_calls deltas with a stable index, id and name", async () => {
    fake.script({ kind: "fixture", file: "anthropic-sdk-typescript/tool_use_response.txt" });
    const events = await collect();
    const args = (text: string) => ({ tool_calls: [{ index: 0, function: { arguments: text } }] });
    assert.deepEqual(choices(events, "chatcmpl-msg_019Q1hrJbZG26Fb9BQhrkHEr", "claude-opus-4-8"), [
      choice({ role: "assistant", content: "" }),
      choice({ content: "I" }),
      choice({ content: "'ll check the current weather in Paris for you." }),
      choice({
        tool_calls: [
          {
            index: 0,
            id: "toolu_01NRLabsLyVHZPKxbKvkfSMn",
            type: "function",
            function: { name: "get_weather", arguments: "" },
          },
        ],
      }),
      choice(args('{"locati')),
      choice(args('on": "P')),
      choice(args("ar")),
      choice(args('is"}')),
      choice({}, "tool_calls"),
    ]);
  });

  test("numbers tool calls from 0 whatever Anthropic's block index", async () => {
    const toolUse = (id: string, name: string) => ({ type: "tool_use", id, name, input: { n: 1 } });
    fake.script({
      kind: "message",
      stopReason: "tool_use",
      content: [
        { type: "text", text: "Two calls." },
        toolUse("toolu_a", "one"),
        toolUse("toolu_b", "two"),
      ],
    });
    const events = await collect();
    const calls = events.flatMap((e) =>
      e.type === "chunk" ? (e.chunk.choices[0]?.delta.tool_calls ?? []) : [],
    );
    assert.deepEqual(calls, [
      { index: 0, id: "toolu_a", type: "function", function: { name: "one", arguments: "" } },
      { index: 0, function: { arguments: '{"n":1}' } },
      { index: 1, id: "toolu_b", type: "function", function: { name: "two", arguments: "" } },
      { index: 1, function: { arguments: '{"n":1}' } },
    ]);
  });

  test("reports cache reads and writes, taking message_delta's cumulative counts", async () => {
    fake.script({
      kind: "fixture",
      file: "vercel-ai/anthropic_anthropic-code-execution-20260120-prompt-cache.1.chunks.txt",
    });
    const events = await collect();
    assert.deepEqual(usages(events), [
      {
        usage: { inputTokens: 2, cacheReadTokens: 0, cacheWriteTokens: 3068, outputTokens: 69 },
        final: false,
      },
      {
        usage: { inputTokens: 6, cacheReadTokens: 6289, cacheWriteTokens: 3337, outputTokens: 198 },
        final: true,
      },
    ]);
    // Server-side code execution blocks are Anthropic's business, not client tool calls.
    const deltas = choices(events, "chatcmpl-msg_011CdYfpjpVtBoXyXCQD1tQP", "claude-sonnet-5");
    assert.deepEqual(deltas, [
      choice({ role: "assistant", content: "" }),
      choice({ content: "The" }),
      choice({ content: " sum of the squares of the numbers 1 through 12 is **650**." }),
      choice({}, "stop"),
    ]);
  });

  test("uses input tokens that message_delta carries", async () => {
    fake.script({
      kind: "fixture",
      file: "vercel-ai/anthropic_anthropic-message-delta-input-tokens.chunks.txt",
    });
    const events = await collect();
    assert.deepEqual(
      usages(events).map((u) => [u.usage.inputTokens, u.usage.outputTokens, u.final]),
      [
        [43, 1, false],
        [61, 2, true],
      ],
    );
  });

  test("finishes with length when the tool input is cut off by max_tokens", async () => {
    fake.script({
      kind: "fixture",
      file: "anthropic-sdk-typescript/incomplete_partial_json_response.txt",
    });
    const events = await collect();
    const deltas = choices(events, "chatcmpl-msg_01UdjYBBipA9omjYhicnevgq", "claude-sonnet-4-5");
    assert.equal(deltas.at(-1)?.finish_reason, "length");
    const args = deltas.flatMap((c) => c.delta.tool_calls ?? []).map((t) => t.function?.arguments);
    assert.equal(args.join("").startsWith('{"filename": "taxes.txt", "lines_of_text": ['), true);
  });

  test("throws a 503 UpstreamError for an overloaded_error event mid-stream", async () => {
    const message = {
      id: "msg_err",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 1 },
    };
    fake.script({
      kind: "events",
      events: [
        { type: "message_start", message },
        { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      ],
    });
    await assert.rejects(collect(), (error: unknown) => {
      assert.ok(error instanceof UpstreamError);
      assert.equal(error.status, 503);
      assert.equal(error.type, "api_error");
      assert.equal(error.providerId, "anthropic");
      assert.equal(
        error.message,
        'Upstream provider "anthropic" reported overloaded_error mid-stream: Overloaded',
      );
      return true;
    });
  });

  test("throws a 502 UpstreamError when the stream ends before the message is complete", async () => {
    fake.script({
      kind: "events",
      events: [
        {
          type: "message_start",
          message: { id: "msg_cut", model: "m", usage: { input_tokens: 1, output_tokens: 1 } },
        },
      ],
    });
    await assert.rejects(collect(), { name: "UpstreamError", status: 502 });
  });
});
