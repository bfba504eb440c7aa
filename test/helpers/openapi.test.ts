import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { startFakeOpenAI } from "@/test/fakes/openai";
import { assertValid, validateSchema } from "@/test/helpers/openapi";

const fixture = (file: string) =>
  readFileSync(join(import.meta.dirname, "..", "fixtures", "openai", file), "utf8");
const completion: unknown = JSON.parse(fixture("openai_chat_openai-text.json"));
const chunks: unknown[] = fixture("openai_chat_openai-text.chunks.txt")
  .split("\n")
  .filter((line) => line !== "")
  .map((line) => JSON.parse(line));
const sseChunks: unknown[] = fixture("openai-compatible_chat_anthropic-fallback-tool-call.sse")
  .split("\n\n")
  .map((event) => event.trim().replace(/^data: /, ""))
  .filter((data) => data.trim() !== "" && data !== "[DONE]")
  .map((data) => JSON.parse(data));

function record(value: unknown): Record<string, unknown> {
  assert.ok(typeof value === "object" && value !== null && !Array.isArray(value));
  return { ...value };
}

describe("OpenAPI validation accepts what OpenAI sends", () => {
  test("the recorded completion is a CreateChatCompletionResponse", () => {
    assert.deepEqual(validateSchema("CreateChatCompletionResponse", completion), []);
  });

  test("every recorded chunk, usage chunk included, is a CreateChatCompletionStreamResponse", () => {
    assert.deepEqual([chunks.length, sseChunks.length], [303, 8]);
    for (const chunk of [...chunks, ...sseChunks]) {
      assertValid("CreateChatCompletionStreamResponse", chunk);
    }
  });

  test("the recorded 400 body is an ErrorResponse", () => {
    const body = JSON.parse(fixture("openai_chat_reasoning-model-legacy-parameter-error.json"));
    assert.deepEqual(validateSchema("ErrorResponse", body), []);
  });

  test("the fake server's model list is a ListModelsResponse", async () => {
    const fake = await startFakeOpenAI();
    try {
      const response = await fetch(`${fake.url}/v1/models`);
      assertValid("ListModelsResponse", await response.json());
    } finally {
      await fake.close();
    }
  });
});

describe("OpenAPI validation rejects what OpenAI would not send", () => {
  test("a completion without choices", () => {
    const { choices: _choices, ...broken } = record(completion);
    assert.deepEqual(validateSchema("CreateChatCompletionResponse", broken), [
      `(root) must have required property 'choices' {"missingProperty":"choices"}`,
    ]);
    assert.throws(() => assertValid("CreateChatCompletionResponse", broken), /choices/);
  });

  test("a chunk whose usage is not null and not complete", () => {
    const broken = { ...record(chunks[0]), usage: { prompt_tokens: 3 } };
    const errors = validateSchema("CreateChatCompletionStreamResponse", broken);
    assert.ok(
      errors.includes(
        `/usage must have required property 'completion_tokens' {"missingProperty":"completion_tokens"}`,
      ),
    );
    assert.ok(errors.includes('/usage must be null {"type":"null"}'));
  });

  test("a chunk with an unknown finish_reason", () => {
    const first = record(chunks[0]);
    const broken = { ...first, choices: [{ index: 0, delta: {}, finish_reason: "done" }] };
    const errors = validateSchema("CreateChatCompletionStreamResponse", broken);
    assert.ok(errors.some((e) => e.startsWith("/choices/0/finish_reason must be equal to one of")));
  });

  test("an error body whose error is a bare string", () => {
    assert.deepEqual(validateSchema("ErrorResponse", { error: "model not found" }), [
      '/error must be object {"type":"object"}',
    ]);
  });

  test("a model list without its object field", () => {
    assert.deepEqual(validateSchema("ListModelsResponse", { data: [] }), [
      `(root) must have required property 'object' {"missingProperty":"object"}`,
    ]);
  });
});
