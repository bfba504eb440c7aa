import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ChatRequest } from "@/lib/providers/types";
import { assertValid } from "@/test/helpers/openapi";
import { withFakeAnthropic } from "./anthropic-harness";

const { fake, adapter, options } = withFakeAnthropic();

const request: ChatRequest = {
  model: "gateway-model",
  messages: [{ role: "user", content: "Hi" }],
};

describe("Anthropic response translation", () => {
  test("turns a recorded Anthropic message into a valid chat.completion", async () => {
    fake().script({ kind: "fixture", file: "vercel-ai/anthropic_anthropic-text.json" });
    const startedAt = Math.floor(Date.now() / 1000);
    const { body, usage } = await adapter().complete(request, options());
    assertValid("CreateChatCompletionResponse", body);
    assert.ok(body.created >= startedAt && body.created <= startedAt + 5);
    assert.deepEqual(body, {
      id: "chatcmpl-msg_01VdEjxAP5ahtHKrrRdNBteQ",
      object: "chat.completion",
      created: body.created,
      model: "claude-sonnet-4-5-20250929",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content:
              "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
            refusal: null,
          },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 29,
        total_tokens: 41,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
    assert.deepEqual(usage, {
      inputTokens: 12,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 29,
    });
  });

  test("joins text blocks and keeps tool calls next to the text", async () => {
    fake().script({
      kind: "message",
      stopReason: "tool_use",
      content: [
        { type: "text", text: "Let me check. " },
        { type: "text", text: "One moment." },
        { type: "tool_use", id: "toolu_7", name: "lookup", input: { q: "x" } },
      ],
    });
    const { body } = await adapter().complete(request, options());
    assertValid("CreateChatCompletionResponse", body);
    assert.equal(body.choices[0]?.message.content, "Let me check. One moment.");
    assert.deepEqual(body.choices[0]?.message.tool_calls, [
      { id: "toolu_7", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } },
    ]);
  });

  test("counts cache reads and writes as prompt tokens, reads as cached tokens", async () => {
    fake().script({
      kind: "message",
      usage: {
        input_tokens: 100,
        cache_read_input_tokens: 300,
        cache_creation_input_tokens: 50,
        output_tokens: 20,
      },
    });
    const { body, usage } = await adapter().complete(request, options());
    assert.deepEqual(usage, {
      inputTokens: 100,
      cacheReadTokens: 300,
      cacheWriteTokens: 50,
      outputTokens: 20,
    });
    assert.deepEqual(body.usage, {
      prompt_tokens: 450,
      completion_tokens: 20,
      total_tokens: 470,
      prompt_tokens_details: { cached_tokens: 300 },
    });
  });

  test("maps every Anthropic stop reason to an OpenAI finish reason", async () => {
    const cases: Array<[string, string]> = [
      ["end_turn", "stop"],
      ["stop_sequence", "stop"],
      ["max_tokens", "length"],
      ["model_context_window_exceeded", "length"],
      ["tool_use", "tool_calls"],
      ["refusal", "content_filter"],
      ["pause_turn", "stop"],
    ];
    for (const [stopReason, finishReason] of cases) {
      fake().script({ kind: "message", stopReason });
      const { body } = await adapter().complete(request, options());
      assert.equal(body.choices[0]?.finish_reason, finishReason, stopReason);
    }
  });

  test("answers an empty message with empty content rather than null", async () => {
    fake().script({ kind: "message", content: [] });
    const { body } = await adapter().complete(request, options());
    assert.equal(body.choices[0]?.message.content, "");
    assert.equal(body.choices[0]?.message.tool_calls, undefined);
  });
});
