import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import OpenAI from "openai";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { assertValid } from "../helpers/openapi";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

describe("chat completions through an OpenAI-compatible provider, with the official openai client", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;
  let client: OpenAI;
  let tenant: { tenantId: string; keyId: string; key: string };

  before(async () => {
    fake = await startFakeOpenAI();
    gateway = await startTollgate(gatewayConfig({ openai: fake.url }), {
      TEST_OPENAI_KEY: "sk-upstream-test",
    });
    tenant = await gateway.createTenantWithKey("pro");
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: tenant.key, maxRetries: 0 });
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  test("answers a non-streamed request with the configured model id and OpenAI's response schema", async () => {
    fake.script({
      kind: "text",
      content: "Hello from upstream",
      usage: { prompt: 12, completion: 4 },
    });
    const { data, response } = await client.chat.completions
      .create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], seed: 7 })
      .withResponse();
    assert.equal(data.model, "gpt-4o");
    assert.equal(data.choices[0]?.message.content, "Hello from upstream");
    assert.deepEqual(
      { prompt: data.usage?.prompt_tokens, completion: data.usage?.completion_tokens },
      { prompt: 12, completion: 4 },
    );
    assert.equal(response.headers.get("x-tollgate-model"), "gpt-4o");
    assert.match(response.headers.get("x-request-id") ?? "", /^req_[0-9a-f]{20}$/);
    assertValid("CreateChatCompletionResponse", data);

    const upstream = fake.requests.at(-1);
    assert.equal(upstream?.headers.authorization, "Bearer sk-upstream-test");
    // The tenant has a cap, so an answer the client left unbounded is bounded by the reserved
    // allowance (the model's maxOutputTokens, 4096 by default): the cost cannot pass the hold.
    assert.deepEqual(upstream?.body, {
      model: "gpt-4o",
      messages: [{ role: "user", content: "Hi" }],
      seed: 7,
      max_completion_tokens: 4096,
    });
  });

  test("streams chunk by chunk, ending with [DONE], each chunk naming the configured model", async () => {
    fake.script({ kind: "replay", fixture: "openai-text" });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Invent a holiday" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      assert.equal(chunk.model, "gpt-4o");
      assertValid("CreateChatCompletionStreamResponse", chunk);
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    const recorded = readFileSync("test/fixtures/openai/openai_chat_openai-text.chunks.txt", "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as OpenAI.ChatCompletionChunk);
    const recordedText = recorded.map((c) => c.choices[0]?.delta.content ?? "").join("");
    assert.equal(text, recordedText);
    assert.deepEqual(
      { prompt: usage?.prompt_tokens, completion: usage?.completion_tokens },
      {
        prompt: recorded.at(-1)?.usage?.prompt_tokens,
        completion: recorded.at(-1)?.usage?.completion_tokens,
      },
    );
  });

  test("hides the usage chunk from a client that did not ask for it, and ends with data: [DONE]", async () => {
    fake.script({ kind: "text", content: "one two three", usage: { prompt: 5, completion: 3 } });
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        stream: true,
        messages: [{ role: "user", content: "count" }],
      }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const events = (await res.text()).split("\n\n").filter(Boolean);
    assert.equal(events.at(-1), "data: [DONE]");
    for (const event of events.slice(0, -1)) {
      const chunk = JSON.parse(event.replace(/^data: /, "")) as {
        usage?: unknown;
        choices: unknown[];
      };
      assert.equal(chunk.usage, undefined);
      assert.ok(chunk.choices.length > 0);
    }
    const upstream = fake.requests.at(-1)?.body as { stream_options?: { include_usage?: boolean } };
    assert.equal(upstream.stream_options?.include_usage, true);
  });

  test("lists the tier's models in OpenAI's list format", async () => {
    const res = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${tenant.key}` },
    });
    const body = await res.json();
    assertValid("ListModelsResponse", body);
    assert.deepEqual(
      (body as { data: { id: string }[] }).data.map((m) => m.id),
      ["gpt-4o", "gpt-4o-mini", "demo"],
    );
    const page = await client.models.list();
    assert.equal(page.data.length, 3);
  });

  test("serves the same API under /api/v1", async () => {
    const res = await fetch(`${gateway.url}/api/v1/models`, {
      headers: { authorization: `Bearer ${tenant.key}` },
    });
    assert.equal(res.status, 200);
  });

  test("passes an upstream 4xx through in OpenAI's shape, naming the provider", async () => {
    fake.script({ kind: "replay", fixture: "legacy-parameter-error" });
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${tenant.key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        max_tokens: 5,
        messages: [{ role: "user", content: "x" }],
      }),
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assertValid("ErrorResponse", body);
    assert.deepEqual(body, {
      error: {
        message:
          "Upstream provider \"openai\" returned 400: Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        type: "invalid_request_error",
        param: "max_tokens",
        code: "unsupported_parameter",
      },
    });
  });

  test("a malformed line in an upstream stream is logged and skipped, not fatal", async () => {
    const chunk = (delta: object, finish: string | null = null) => ({
      id: "chatcmpl-x",
      object: "chat.completion.chunk",
      created: 1,
      model: "up",
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    });
    fake.script({
      kind: "events",
      events: [
        chunk({ role: "assistant", content: "Hel" }),
        { raw: '{"id": "broken' },
        chunk({ content: "lo" }),
        chunk({}, "stop"),
      ],
    });
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    let text = "";
    for await (const part of stream) text += part.choices[0]?.delta.content ?? "";
    assert.equal(text, "Hello");
    assert.match(gateway.output(), /malformed stream event skipped/);
  });
});
