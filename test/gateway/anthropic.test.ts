import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { ANTHROPIC_FIXTURES, type FakeAnthropic, startFakeAnthropic } from "../fakes/anthropic";
import { gatewayConfig } from "../helpers/configs";
import { assertValid } from "../helpers/openapi";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

const UPSTREAM_KEY = "sk-ant-upstream-test";

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

/** The events of a vercel-ai recording (`.chunks.txt`: one event's JSON per line). */
function recordedEvents(file: string): Array<Record<string, unknown>> {
  return readFileSync(join(ANTHROPIC_FIXTURES, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The `delta` of every content_block_delta event in a recording, in order. */
function recordedDeltas(
  events: Array<Record<string, unknown>>,
): Array<{ type: string; text?: string; partial_json?: string }> {
  return events
    .filter((e) => e.type === "content_block_delta")
    .map((e) => e.delta as { type: string; text?: string; partial_json?: string });
}

/** The events of a raw SSE recording (`event:` and `data:` lines). */
function recordedSseEvents(file: string): Array<Record<string, unknown>> {
  return readFileSync(join(ANTHROPIC_FIXTURES, file), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("data: "))
    .map((line) => JSON.parse(line.slice("data: ".length)) as Record<string, unknown>);
}

describe("chat completions through Anthropic, with the official openai client", () => {
  let fake: FakeAnthropic;
  let gateway: Tollgate;
  let client: OpenAI;
  let tenant: { tenantId: string; keyId: string; key: string };

  before(async () => {
    fake = await startFakeAnthropic({ apiKey: UPSTREAM_KEY });
    // The OpenAI provider is configured but never called in this file.
    gateway = await startTollgate(gatewayConfig({ openai: fake.url, anthropic: fake.url }), {
      TEST_OPENAI_KEY: "sk-openai-unused",
      TEST_ANTHROPIC_KEY: UPSTREAM_KEY,
    });
    tenant = await gateway.createTenantWithKey("pro");
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: tenant.key, maxRetries: 0 });
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  const usage = async (key: string): Promise<UsageDoc> => {
    const res = await fetch(`${gateway.url}/v1/usage`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.status, 200);
    return (await res.json()) as UsageDoc;
  };

  const post = (body: object) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  test("answers a non-streamed request in OpenAI's shape, with the system prompt and output limit translated", async () => {
    fake.script({
      kind: "message",
      content: [{ type: "text", text: "Bonjour." }],
      stopReason: "end_turn",
      usage: {
        input_tokens: 20,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 50,
        output_tokens: 9,
      },
    });
    const { data, response } = await client.chat.completions
      .create({
        model: "claude-haiku",
        messages: [
          { role: "system", content: "You are terse." },
          { role: "user", content: "Hi" },
          { role: "developer", content: "Answer in French." },
        ],
        max_completion_tokens: 256,
      })
      .withResponse();

    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-tollgate-model"), "claude-haiku");
    assertValid("CreateChatCompletionResponse", data);
    assert.equal(data.model, "claude-haiku");
    assert.equal(data.object, "chat.completion");
    assert.match(data.id, /^chatcmpl-msg_fake_/);
    assert.equal(data.choices.length, 1);
    assert.deepEqual(data.choices[0]?.message, {
      role: "assistant",
      content: "Bonjour.",
      refusal: null,
    });
    assert.equal(data.choices[0]?.finish_reason, "stop");
    // OpenAI's prompt_tokens include cached tokens: 20 uncached + 100 read + 50 written.
    assert.deepEqual(data.usage, {
      prompt_tokens: 170,
      completion_tokens: 9,
      total_tokens: 179,
      prompt_tokens_details: { cached_tokens: 100 },
    });

    const upstream = fake.requests.at(-1);
    // SDK 1.x sends the key as a bearer token; older SDKs used x-api-key.
    const sentKey =
      upstream?.headers["x-api-key"] ?? upstream?.headers.authorization?.replace(/^Bearer /, "");
    assert.equal(sentKey, UPSTREAM_KEY);
    assert.deepEqual(upstream?.body, {
      model: "claude-3-5-haiku-latest",
      max_tokens: 256,
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      system: [
        { type: "text", text: "You are terse." },
        { type: "text", text: "Answer in French." },
      ],
      stream: false,
    });
  });

  test("streams a recorded Anthropic answer chunk by chunk, re-assembling its text exactly", async () => {
    const file = "vercel-ai/anthropic_anthropic-text.chunks.txt";
    fake.script({ kind: "fixture", file });
    const stream = await client.chat.completions.create({
      model: "claude-haiku",
      messages: [{ role: "user", content: "How are you?" }],
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
      assert.equal(chunk.model, "claude-haiku");
      text += chunk.choices[0]?.delta.content ?? "";
      const finish = chunk.choices[0]?.finish_reason;
      if (finish) finishReasons.push(finish);
      if (chunk.usage) usages.push(chunk.usage);
    }

    const events = recordedEvents(file);
    const recordedText = recordedDeltas(events)
      .map((d) => d.text ?? "")
      .join("");
    assert.equal(text, recordedText);
    assert.equal(
      text,
      "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    );
    assert.ok(chunks > 2);
    assert.deepEqual(finishReasons, ["stop"]);
    // One usage chunk, the last one, with the recording's counts: message_delta's cumulative
    // 12 input tokens (no cache) and 30 output tokens.
    const final = events.find((e) => e.type === "message_delta")?.usage as {
      input_tokens: number;
      output_tokens: number;
    };
    assert.deepEqual(usages, [
      {
        prompt_tokens: final.input_tokens,
        completion_tokens: final.output_tokens,
        total_tokens: final.input_tokens + final.output_tokens,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    ]);
    assert.deepEqual(
      { prompt: final.input_tokens, completion: final.output_tokens },
      { prompt: 12, completion: 30 },
    );
    const upstream = fake.requests.at(-1)?.body as { stream?: boolean; model?: string };
    assert.equal(upstream.stream, true);
    assert.equal(upstream.model, "claude-3-5-haiku-latest");
  });

  test("streams a tool call as deltas with a stable index, one id and name, and JSON arguments", async () => {
    const file = "anthropic-sdk-typescript/tool_use_response.txt";
    fake.script({ kind: "fixture", file });
    const stream = await client.chat.completions.create({
      model: "claude-haiku",
      messages: [{ role: "user", content: "What's the weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Current weather of a city",
            parameters: {
              type: "object",
              properties: { location: { type: "string" } },
              required: ["location"],
            },
          },
        },
      ],
      stream: true,
    });
    let text = "";
    let args = "";
    const indexes = new Set<number>();
    const ids: string[] = [];
    const names: string[] = [];
    const finishReasons: string[] = [];
    for await (const chunk of stream) {
      assertValid("CreateChatCompletionStreamResponse", chunk);
      assert.equal(chunk.model, "claude-haiku");
      const choice = chunk.choices[0];
      text += choice?.delta.content ?? "";
      if (choice?.finish_reason) finishReasons.push(choice.finish_reason);
      for (const call of choice?.delta.tool_calls ?? []) {
        indexes.add(call.index);
        if (call.id) ids.push(call.id);
        if (call.function?.name) names.push(call.function.name);
        args += call.function?.arguments ?? "";
      }
    }

    const events = recordedSseEvents(file);
    const start = events.find(
      (e) =>
        e.type === "content_block_start" &&
        (e.content_block as { type: string }).type === "tool_use",
    )?.content_block as { id: string; name: string };
    const recordedArgs = recordedDeltas(events)
      .map((d) => d.partial_json ?? "")
      .join("");
    assert.equal(text, "I'll check the current weather in Paris for you.");
    assert.deepEqual([...indexes], [0]);
    assert.deepEqual(ids, [start.id]);
    assert.deepEqual(names, ["get_weather"]);
    assert.equal(args, recordedArgs);
    assert.deepEqual(JSON.parse(args), { location: "Paris" });
    assert.deepEqual(finishReasons, ["tool_calls"]);

    const upstream = fake.requests.at(-1)?.body as { tools?: unknown };
    assert.deepEqual(upstream.tools, [
      {
        name: "get_weather",
        description: "Current weather of a city",
        input_schema: {
          type: "object",
          properties: { location: { type: "string" } },
          required: ["location"],
        },
      },
    ]);
  });

  test("charges cache writes and cache reads at their own prices, exactly, streamed or not", async () => {
    const { key } = await gateway.createTenantWithKey("pro");
    const own = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
    const tokens = {
      input_tokens: 1234,
      cache_creation_input_tokens: 2048,
      cache_read_input_tokens: 4096,
      output_tokens: 321,
    };
    fake.script(
      { kind: "message", content: [{ type: "text", text: "cached" }], usage: tokens },
      { kind: "message", content: [{ type: "text", text: "cached" }], usage: tokens },
    );
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "cache me" }];
    await own.chat.completions.create({ model: "claude-haiku", messages });
    const stream = await own.chat.completions.create({
      model: "claude-haiku",
      messages,
      stream: true,
    });
    for await (const _ of stream) {
      // drain
    }

    const doc = await usage(key);
    // claude-haiku in nano-dollars per million tokens: 800_000_000 in, 4_000_000_000 out,
    // 80_000_000 cache read, 1_000_000_000 cache write. Per call:
    //   1234 in          × 800_000_000   =   987_200_000_000
    //   2048 cache write × 1_000_000_000 = 2_048_000_000_000
    //   4096 cache read  × 80_000_000    =   327_680_000_000
    //    321 out         × 4_000_000_000 = 1_284_000_000_000
    //   sum 4_646_880_000_000 / 1e6 = 4_646_880 nano-dollars (whole, so rounding up changes nothing)
    // Two calls: 9_293_760 nano-dollars = $0.00929376.
    assert.equal(doc.spendNanoUsd, 9_293_760);
    assert.equal(doc.spendUsd, 0.00929376);
    assert.equal(doc.requests, 2);
    assert.equal(doc.inputTokens, 2 * (1234 + 2048 + 4096));
    assert.equal(doc.cacheReadTokens, 2 * 4096);
    assert.equal(doc.cacheWriteTokens, 2 * 2048);
    assert.equal(doc.outputTokens, 2 * 321);
    assert.deepEqual(doc.byModel, [
      { model: "claude-haiku", spendUsd: 0.00929376, spendNanoUsd: 9_293_760, requests: 2 },
    ]);
  });

  test("answers Anthropic's 529 overloaded with a 503 in OpenAI's error shape, naming the provider", async () => {
    fake.script({ kind: "error", status: 529, type: "overloaded_error", message: "Overloaded" });
    const res = await post({
      model: "claude-haiku",
      messages: [{ role: "user", content: "Hi" }],
    });
    assert.equal(res.status, 503);
    const body = await res.json();
    assertValid("ErrorResponse", body);
    assert.deepEqual(body, {
      error: {
        message: 'Upstream provider "anthropic" returned 529: Overloaded',
        type: "api_error",
        param: null,
        code: "upstream_error",
      },
    });
  });

  test("passes Anthropic's 400 through as a 400 with the provider's message", async () => {
    fake.script({
      kind: "error",
      status: 400,
      type: "invalid_request_error",
      message: "messages.0.content: text content blocks must be non-empty",
    });
    const error = await client.chat.completions
      .create({ model: "claude-haiku", messages: [{ role: "user", content: "Hi" }] })
      .then(
        () => assert.fail("expected the call to fail"),
        (err: unknown) => err,
      );
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.equal(error.status, 400);
    assert.deepEqual(error.error, {
      message:
        'Upstream provider "anthropic" returned 400: messages.0.content: text content blocks must be non-empty',
      type: "invalid_request_error",
      param: null,
      code: "upstream_error",
    });
  });

  test("refuses n: 2 with a 400 before calling Anthropic", async () => {
    const callsBefore = fake.requests.length;
    const error = await client.chat.completions
      .create({ model: "claude-haiku", messages: [{ role: "user", content: "Hi" }], n: 2 })
      .then(
        () => assert.fail("expected the call to fail"),
        (err: unknown) => err,
      );
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.equal(error.status, 400);
    assert.deepEqual(error.error, {
      message: "Anthropic returns a single choice; n must be 1.",
      type: "invalid_request_error",
      param: "n",
      code: "unsupported_parameter",
    });
    assert.equal(fake.requests.length, callsBefore);
  });
});
