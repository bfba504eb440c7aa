import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type {
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from "openai/resources/chat/completions";
import type { ChatRequest } from "@/lib/providers/types";
import { UnsupportedFeatureError } from "@/lib/providers/types";
import { withFakeAnthropic } from "./anthropic-harness";

const { fake, adapter, options } = withFakeAnthropic();

async function sent(request: Omit<ChatRequest, "model">): Promise<Record<string, unknown>> {
  await adapter().complete({ model: "gateway-model", ...request } as ChatRequest, options());
  return fake().requests.at(-1)?.body as Record<string, unknown>;
}

const weatherSchema = {
  type: "object",
  properties: { location: { type: "string" } },
  required: ["location"],
};
const tools: ChatCompletionTool[] = [
  {
    type: "function",
    function: { name: "get_weather", description: "Current weather", parameters: weatherSchema },
  },
  { type: "function", function: { name: "get_time" } },
];
const hi: ChatCompletionMessageParam = { role: "user", content: "Weather and time in Paris?" };

describe("Anthropic tool translation", () => {
  test("turns function tools into Anthropic tools with an input_schema", async () => {
    const body = await sent({ messages: [hi], tools });
    assert.deepEqual(body.tools, [
      { name: "get_weather", description: "Current weather", input_schema: weatherSchema },
      { name: "get_time", input_schema: { type: "object", properties: {} } },
    ]);
    assert.equal("tool_choice" in body, false);
  });

  test("maps each tool_choice and parallel_tool_calls: false", async () => {
    const cases: Array<[Partial<ChatRequest>, unknown]> = [
      [{ tool_choice: "auto" }, { type: "auto" }],
      [{ tool_choice: "required" }, { type: "any" }],
      [{ tool_choice: "none" }, { type: "none" }],
      [
        { tool_choice: { type: "function", function: { name: "get_time" } } },
        { type: "tool", name: "get_time" },
      ],
      [{ parallel_tool_calls: false }, { type: "auto", disable_parallel_tool_use: true }],
      [
        { tool_choice: "required", parallel_tool_calls: false },
        { type: "any", disable_parallel_tool_use: true },
      ],
    ];
    for (const [fields, expected] of cases) {
      const body = await sent({ messages: [hi], tools, ...fields });
      assert.deepEqual(body.tool_choice, expected, JSON.stringify(fields));
    }
  });

  test("round-trips tool calls and merges consecutive tool results into one user turn", async () => {
    const body = await sent({
      tools,
      messages: [
        hi,
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "get_weather", arguments: '{"location":"Paris"}' },
            },
            { id: "call_2", type: "function", function: { name: "get_time", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "18°C, cloudy" },
        { role: "tool", tool_call_id: "call_2", content: [{ type: "text", text: "14:05" }] },
      ],
    });
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ type: "text", text: "Weather and time in Paris?" }] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_1", name: "get_weather", input: { location: "Paris" } },
          { type: "tool_use", id: "call_2", name: "get_time", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_1", content: "18°C, cloudy" },
          {
            type: "tool_result",
            tool_use_id: "call_2",
            content: [{ type: "text", text: "14:05" }],
          },
        ],
      },
    ]);
  });

  test("sends an assistant turn with empty content and tool calls as tool_use blocks only", async () => {
    const body = await sent({
      messages: [
        hi,
        {
          role: "assistant",
          content: "",
          tool_calls: [
            { id: "call_9", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "call_9", content: "14:05" },
        { role: "user", content: "Thanks" },
      ],
    });
    assert.deepEqual(body.messages, [
      { role: "user", content: [{ type: "text", text: "Weather and time in Paris?" }] },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "call_9", name: "get_time", input: {} }],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_9", content: "14:05" },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  test("rewrites tool call ids Anthropic would reject, identically on both sides", async () => {
    const body = await sent({
      messages: [
        hi,
        {
          role: "assistant",
          tool_calls: [
            {
              id: "functions.get_time:0",
              type: "function",
              function: { name: "get_time", arguments: "{}" },
            },
          ],
        },
        { role: "tool", tool_call_id: "functions.get_time:0", content: "14:05" },
      ],
    });
    const [, assistant, results] = body.messages as Array<{
      content: Array<Record<string, unknown>>;
    }>;
    assert.equal(assistant?.content[0]?.id, "functions_get_time_0");
    assert.equal(results?.content[0]?.tool_use_id, "functions_get_time_0");
  });

  test("refuses tool call arguments that are not JSON, naming the parameter", async () => {
    const before = fake().requests.length;
    const request: ChatRequest = {
      model: "m",
      messages: [
        hi,
        {
          role: "assistant",
          tool_calls: [
            { id: "c", type: "function", function: { name: "get_time", arguments: "{not json" } },
          ],
        },
      ],
    };
    await assert.rejects(adapter().complete(request, options()), (error: unknown) => {
      assert.ok(error instanceof UnsupportedFeatureError);
      assert.equal(error.param, "messages[1].tool_calls[0].function.arguments");
      return true;
    });
    assert.equal(fake().requests.length, before);
  });

  test("translates tool_use in the answer into OpenAI tool_calls with null content", async () => {
    fake().script({
      kind: "message",
      stopReason: "tool_use",
      content: [
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { location: "Paris" } },
      ],
    });
    const { body } = await adapter().complete({ model: "m", messages: [hi], tools }, options());
    assert.deepEqual(body.choices[0]?.message, {
      role: "assistant",
      content: null,
      refusal: null,
      tool_calls: [
        {
          id: "toolu_1",
          type: "function",
          function: { name: "get_weather", arguments: '{"location":"Paris"}' },
        },
      ],
    });
    assert.equal(body.choices[0]?.finish_reason, "tool_calls");
  });
});
