import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { createAnthropicAdapter } from "@/lib/providers/anthropic";
import type { CallOptions, ChatRequest } from "@/lib/providers/types";
import { UnsupportedFeatureError } from "@/lib/providers/types";
import { type FakeAnthropic, startFakeAnthropic } from "@/test/fakes/anthropic";

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic({ apiKey: "test-key" });
});
after(() => fake.close());

function adapter() {
  return createAnthropicAdapter({
    id: "anthropic",
    baseURL: fake.url,
    apiKey: "test-key",
    timeoutMs: 5_000,
  });
}

function options(): CallOptions {
  const signal = new AbortController().signal;
  return { upstreamModel: "claude-sonnet-4-5", signal, maxOutputTokens: 1024 };
}

/** Sends `request` and returns the body the fake received. */
async function sent(request: Omit<ChatRequest, "model">): Promise<Record<string, unknown>> {
  await adapter().complete({ model: "gateway-model", ...request } as ChatRequest, options());
  const last = fake.requests[fake.requests.length - 1];
  assert.ok(last, "the fake received no request");
  return last.body as Record<string, unknown>;
}

const hi: ChatCompletionMessageParam = { role: "user", content: "Hi" };

describe("Anthropic request translation", () => {
  test("authenticates with the configured key and sends the API version it speaks", async () => {
    await sent({ messages: [hi] });
    const headers = fake.requests.at(-1)?.headers;
    // SDK 1.x sends the key as a bearer token rather than x-api-key.
    assert.equal(headers?.authorization, "Bearer test-key");
    assert.equal(headers?.["anthropic-version"], "2026-10-21");
  });

  test("keeps every system and developer message, in order, as separate system blocks", async () => {
    const body = await sent({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Bonjour" },
        { role: "system", content: "Now answer in German." },
        { role: "user", content: "Again" },
      ],
    });
    assert.deepEqual(body, {
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      stream: false,
      system: [
        { type: "text", text: "Be brief." },
        { type: "text", text: "Answer in French." },
        { type: "text", text: "Now answer in German." },
      ],
      messages: [
        { role: "user", content: [{ type: "text", text: "Hello" }] },
        { role: "assistant", content: [{ type: "text", text: "Bonjour" }] },
        { role: "user", content: [{ type: "text", text: "Again" }] },
      ],
    });
  });

  test("turns data: image URLs into base64 sources and http(s) URLs into url sources", async () => {
    const body = await sent({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare these." },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "low" } },
          ],
        },
      ],
    });
    assert.deepEqual(body.messages, [
      {
        role: "user",
        content: [
          { type: "text", text: "Compare these." },
          {
            type: "image",
            source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
          },
          { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
        ],
      },
    ]);
  });

  test("merges consecutive user messages because Anthropic needs alternating turns", async () => {
    const body = await sent({ messages: [hi, { role: "user", content: "Are you there?" }] });
    assert.deepEqual(body.messages, [
      {
        role: "user",
        content: [
          { type: "text", text: "Hi" },
          { type: "text", text: "Are you there?" },
        ],
      },
    ]);
  });

  test("takes max_tokens from max_completion_tokens, then max_tokens, then the default", async () => {
    const both = await sent({ messages: [hi], max_completion_tokens: 300, max_tokens: 200 });
    assert.equal(both.max_tokens, 300);
    const legacy = await sent({ messages: [hi], max_tokens: 200 });
    assert.equal(legacy.max_tokens, 200);
    const neither = await sent({ messages: [hi], max_completion_tokens: null });
    assert.equal(neither.max_tokens, 1024);
  });

  test("maps stop to stop_sequences and user to metadata.user_id", async () => {
    const single = await sent({ messages: [hi], stop: "END", user: "user-42" });
    assert.deepEqual(single.stop_sequences, ["END"]);
    assert.deepEqual(single.metadata, { user_id: "user-42" });
    const several = await sent({ messages: [hi], stop: ["\n\n", "###"] });
    assert.deepEqual(several.stop_sequences, ["\n\n", "###"]);
  });

  test("asks for JSON through a final system instruction for json_object", async () => {
    const body = await sent({
      messages: [{ role: "system", content: "You extract data." }, hi],
      response_format: { type: "json_object" },
    });
    assert.deepEqual(body.system, [
      { type: "text", text: "You extract data." },
      {
        type: "text",
        text:
          "Respond with only a single valid JSON object. Do not wrap it in Markdown code fences " +
          "and do not write anything before or after it.",
      },
    ]);
  });

  test("includes the schema in the JSON instruction for json_schema", async () => {
    const schema = { type: "object", properties: { city: { type: "string" } } };
    const body = await sent({
      messages: [hi],
      response_format: { type: "json_schema", json_schema: { name: "place", schema } },
    });
    assert.deepEqual(body.system, [
      {
        type: "text",
        text:
          "Respond with only a single valid JSON object. Do not wrap it in Markdown code fences " +
          'and do not write anything before or after it. The object must conform to the JSON Schema named "place":\n' +
          JSON.stringify(schema),
      },
    ]);
  });

  test("drops temperature and top_p at their default of 1, which Anthropic no longer accepts", async () => {
    const body = await sent({ messages: [hi], temperature: 1, top_p: 1, presence_penalty: 0 });
    assert.equal("temperature" in body, false);
    assert.equal("top_p" in body, false);
  });

  test("refuses requests Anthropic cannot honour before calling it", async () => {
    const refused: Array<[Partial<ChatRequest>, string]> = [
      [{ n: 2 }, "n"],
      [{ logprobs: true }, "logprobs"],
      [{ presence_penalty: 0.5 }, "presence_penalty"],
      [{ frequency_penalty: 0.5 }, "frequency_penalty"],
      [{ logit_bias: { "50256": -100 } }, "logit_bias"],
      [{ seed: 7 }, "seed"],
      [{ temperature: 0.2 }, "temperature"],
      [{ top_p: 0.9 }, "top_p"],
      [{ modalities: ["text", "audio"] }, "modalities"],
    ];
    const before = fake.requests.length;
    for (const [fields, param] of refused) {
      const request = { model: "m", messages: [hi], ...fields } as ChatRequest;
      await assert.rejects(adapter().complete(request, options()), (error: unknown) => {
        assert.ok(error instanceof UnsupportedFeatureError, `${param} was not refused`);
        assert.equal(error.param, param);
        return true;
      });
    }
    assert.equal(fake.requests.length, before, "a refused request reached Anthropic");
  });

  test("refuses audio input and image types Anthropic cannot read, naming the part", async () => {
    const cases: Array<[ChatCompletionMessageParam, string]> = [
      [
        {
          role: "user",
          content: [{ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }],
        },
        "messages[0].content[0]",
      ],
      [
        {
          role: "user",
          content: [{ type: "image_url", image_url: { url: "data:image/bmp;base64,Qk0=" } }],
        },
        "messages[0].content[0].image_url.url",
      ],
    ];
    const before = fake.requests.length;
    for (const [message, param] of cases) {
      const request: ChatRequest = { model: "m", messages: [message] };
      await assert.rejects(adapter().complete(request, options()), { param });
    }
    assert.equal(fake.requests.length, before);
  });
});
