import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createAnthropicAdapter } from "@/lib/providers/anthropic";
import type { CallOptions, ChatRequest, StreamEvent } from "@/lib/providers/types";
import { UpstreamError } from "@/lib/providers/types";
import { type FakeAnthropic, startFakeAnthropic } from "@/test/fakes/anthropic";

let fake: FakeAnthropic;
before(async () => {
  fake = await startFakeAnthropic();
});
after(() => fake.close());

function adapter(overrides: { baseURL?: string; apiKey?: string; timeoutMs?: number } = {}) {
  return createAnthropicAdapter({
    id: "anthropic",
    baseURL: fake.url,
    apiKey: "k",
    timeoutMs: 5_000,
    ...overrides,
  });
}

function options(signal = new AbortController().signal): CallOptions {
  return { upstreamModel: "claude-sonnet-4-5", signal, maxOutputTokens: 1024 };
}

const request: ChatRequest = { model: "m", messages: [{ role: "user", content: "Hi" }] };
const streaming: ChatRequest = { ...request, stream: true };

async function drain(events: AsyncIterable<StreamEvent>): Promise<void> {
  for await (const _ of events) {
    // Only the outcome matters.
  }
}

function expectUpstream(expected: Partial<UpstreamError>) {
  return (error: unknown) => {
    assert.ok(error instanceof UpstreamError, `expected an UpstreamError, got ${String(error)}`);
    const actual = Object.fromEntries(
      Object.keys(expected).map((key) => [key, error[key as keyof UpstreamError]]),
    );
    assert.deepEqual(actual, expected);
    return true;
  };
}

describe("Anthropic error mapping", () => {
  test("maps upstream HTTP errors to the same status with the provider's message", async () => {
    const cases = [
      [400, "invalid_request_error", "messages: field required", "invalid_request_error"],
      [401, "authentication_error", "invalid x-api-key", "authentication_error"],
      [403, "permission_error", "not allowed", "authentication_error"],
      [404, "not_found_error", "model: claude-x", "invalid_request_error"],
      [429, "rate_limit_error", "Number of request tokens exceeded", "rate_limit_error"],
      [500, "api_error", "Internal server error", "api_error"],
    ] as const;
    for (const [status, anthropicType, message, type] of cases) {
      fake.script({ kind: "error", status, type: anthropicType, message });
      await assert.rejects(
        adapter().complete(request, options()),
        expectUpstream({
          status,
          type,
          providerId: "anthropic",
          message: `Upstream provider "anthropic" returned ${status}: ${message}`,
        }),
      );
    }
  });

  test("turns Anthropic's 529 overloaded into a 503, streaming or not", async () => {
    const expected = expectUpstream({
      status: 503,
      type: "api_error",
      message: 'Upstream provider "anthropic" returned 529: Overloaded',
    });
    fake.script({ kind: "error", status: 529, type: "overloaded_error", message: "Overloaded" });
    await assert.rejects(adapter().complete(request, options()), expected);
    fake.script({ kind: "error", status: 529, type: "overloaded_error", message: "Overloaded" });
    await assert.rejects(drain(adapter().stream(streaming, options())), expected);
  });

  test("reports a timeout as 504 upstream_timeout", async () => {
    fake.script({ kind: "hang" });
    await assert.rejects(
      adapter({ timeoutMs: 200 }).complete(request, options()),
      expectUpstream({ status: 504, code: "upstream_timeout" }),
    );
  });

  test("reports an unreachable host or a dropped connection as 502 upstream_unreachable", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = expectUpstream({ status: 502, code: "upstream_unreachable" });
    const nowhere = adapter({ baseURL: `http://127.0.0.1:${port}` });
    await assert.rejects(nowhere.complete(request, options()), unreachable);
    fake.script({ kind: "drop" });
    await assert.rejects(adapter().complete(request, options()), unreachable);
  });

  test("propagates the caller's abort as an AbortError and closes the upstream stream", async () => {
    fake.script({
      kind: "fixture",
      file: "anthropic-sdk-typescript/basic_response.txt",
      delayMs: 100,
    });
    const controller = new AbortController();
    const seen: StreamEvent[] = [];
    const run = async () => {
      for await (const event of adapter().stream(streaming, options(controller.signal))) {
        seen.push(event);
        if (event.type === "usage") controller.abort();
      }
    };
    await assert.rejects(run(), { name: "AbortError" });
    assert.equal(seen.length, 2);
    assert.equal(await fake.requests.at(-1)?.outcome, "interrupted");
  });

  test("propagates an abort while waiting for a non-streamed answer as an AbortError", async () => {
    fake.script({ kind: "hang" });
    const controller = new AbortController();
    const pending = adapter().complete(request, options(controller.signal));
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, { name: "AbortError" });
  });

  test("fails every call with a 500 when the provider has no API key", async () => {
    const before = fake.requests.length;
    const keyless = createAnthropicAdapter({
      id: "anthropic",
      baseURL: fake.url,
      apiKey: undefined,
      timeoutMs: 5_000,
    });
    await assert.rejects(
      keyless.complete(request, options()),
      expectUpstream({ status: 500, code: "provider_misconfigured" }),
    );
    assert.equal(fake.requests.length, before);
  });
});
