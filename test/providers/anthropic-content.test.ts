import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ChatRequest, StreamEvent } from "@/lib/providers/types";
import { withFakeAnthropic } from "./anthropic-harness";

const { fake, adapter, options } = withFakeAnthropic();

async function sentMessages(messages: ChatCompletionMessageParam[]): Promise<unknown> {
  await adapter().complete({ model: "m", messages }, options());
  const body = fake().requests.at(-1)?.body as { messages?: unknown } | undefined;
  return body?.messages;
}

describe("Anthropic content translation", () => {
  test("turns OpenAI prompt-cache breakpoints into Anthropic cache_control markers", async () => {
    const messages = await sentMessages([
      {
        role: "user",
        content: [
          { type: "text", text: "A long document…", prompt_cache_breakpoint: { mode: "explicit" } },
          { type: "text", text: "Summarise it." },
        ],
      },
    ]);
    assert.deepEqual(messages, [
      {
        role: "user",
        content: [
          { type: "text", text: "A long document…", cache_control: { type: "ephemeral" } },
          { type: "text", text: "Summarise it." },
        ],
      },
    ]);
  });

  test("sends inline PDF and plain-text files as document blocks", async () => {
    const text = Buffer.from("hello notes").toString("base64");
    const messages = await sentMessages([
      {
        role: "user",
        content: [
          {
            type: "file",
            file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" },
          },
          { type: "file", file: { file_data: `data:text/plain;base64,${text}` } },
        ],
      },
    ]);
    assert.deepEqual(messages, [
      {
        role: "user",
        content: [
          {
            type: "document",
            source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" },
            title: "a.pdf",
          },
          {
            type: "document",
            source: { type: "text", media_type: "text/plain", data: "hello notes" },
          },
        ],
      },
    ]);
  });

  test("refuses OpenAI file ids, which Anthropic cannot read", async () => {
    const request: ChatRequest = {
      model: "m",
      messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-abc" } }] }],
    };
    await assert.rejects(adapter().complete(request, options()), {
      name: "UnsupportedFeatureError",
      param: "messages[0].content[0].file",
    });
  });

  test("drops empty assistant text, which Anthropic rejects, and merges the turns around it", async () => {
    const messages = await sentMessages([
      { role: "user", content: "One" },
      { role: "assistant", content: "" },
      { role: "user", content: "Two" },
    ]);
    assert.deepEqual(messages, [
      {
        role: "user",
        content: [
          { type: "text", text: "One" },
          { type: "text", text: "Two" },
        ],
      },
    ]);
  });

  test("puts tool results before other user content in a merged turn", async () => {
    const messages = await sentMessages([
      { role: "user", content: "Time?" },
      {
        role: "assistant",
        tool_calls: [{ id: "c1", type: "function", function: { name: "now", arguments: "{}" } }],
      },
      { role: "user", content: "Hurry up." },
      { role: "tool", tool_call_id: "c1", content: "" },
    ]);
    assert.deepEqual(messages, [
      { role: "user", content: [{ type: "text", text: "Time?" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "c1", name: "now", input: {} }] },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "c1" },
          { type: "text", text: "Hurry up." },
        ],
      },
    ]);
  });

  test("skips unknown stream events and forwards tool input sent whole in content_block_start", async () => {
    const message = {
      id: "msg_x",
      model: "claude-x",
      usage: { input_tokens: 3, output_tokens: 1 },
    };
    fake().script({
      kind: "events",
      events: [
        { type: "message_start", message },
        { type: "some_future_event", detail: 1 },
        {
          type: "content_block_start",
          index: 0,
          content_block: { type: "thinking", thinking: "" },
        },
        {
          type: "content_block_delta",
          index: 0,
          delta: { type: "thinking_delta", thinking: "Hm" },
        },
        { type: "content_block_stop", index: 0 },
        {
          type: "content_block_start",
          index: 1,
          content_block: { type: "tool_use", id: "toolu_w", name: "now", input: { tz: "UTC" } },
        },
        { type: "content_block_stop", index: 1 },
        { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 9 } },
        { type: "message_stop" },
      ],
    });
    const events: StreamEvent[] = [];
    const request: ChatRequest = {
      model: "m",
      stream: true,
      messages: [{ role: "user", content: "?" }],
    };
    for await (const event of adapter().stream(request, options())) events.push(event);
    const deltas = events.flatMap((e) => (e.type === "chunk" ? [e.chunk.choices[0]?.delta] : []));
    assert.deepEqual(deltas, [
      { role: "assistant", content: "" },
      {
        tool_calls: [
          { index: 0, id: "toolu_w", type: "function", function: { name: "now", arguments: "" } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"tz":"UTC"}' } }] },
      {},
    ]);
  });
});
