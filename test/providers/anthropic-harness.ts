import { after, before } from "node:test";
import { createAnthropicAdapter } from "@/lib/providers/anthropic";
import type { CallOptions } from "@/lib/providers/types";
import { type FakeAnthropic, startFakeAnthropic } from "@/test/fakes/anthropic";

/**
 * Starts a fake Anthropic for the calling test file (closed after it) and gives an adapter pointed
 * at it and the call options the adapter tests share.
 */
export function withFakeAnthropic() {
  let current: FakeAnthropic | undefined;
  before(async () => {
    current = await startFakeAnthropic();
  });
  after(() => current?.close());
  const fake = (): FakeAnthropic => {
    if (!current) throw new Error("the fake Anthropic has not started");
    return current;
  };
  return {
    fake,
    adapter: () =>
      createAnthropicAdapter({
        id: "anthropic",
        baseURL: fake().url,
        apiKey: "k",
        timeoutMs: 5_000,
      }),
    options: (): CallOptions => ({
      upstreamModel: "claude-sonnet-4-5",
      signal: new AbortController().signal,
      maxOutputTokens: 1024,
    }),
  };
}
