import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

describe("graceful shutdown", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI();
    gateway = await startTollgate(gatewayConfig({ openai: fake.url }));
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  test("SIGTERM refuses new calls, lets open ones finish and writes every usage event before exiting", async () => {
    const { key } = await gateway.createTenantWithKey("pro");
    fake.setDefault({ kind: "text", content: "one two three four five", chunkDelayMs: 100 });
    const call = (i: number) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "gpt-4o",
          stream: i % 2 === 0,
          messages: [{ role: "user", content: `n${i}` }],
        }),
      }).then((res) => res.text());
    const calls = Array.from({ length: 20 }, (_, i) => call(i));
    // SIGTERM once all 20 are with the provider: a request arriving later is refused (below).
    while (fake.requests.length < 20) await new Promise((r) => setTimeout(r, 10));

    const exited = gateway.terminate();
    await new Promise((r) => setTimeout(r, 50));
    const late = await Promise.all([call(20), call(21)]);
    const exitCode = await exited;
    const bodies = await Promise.all(calls);
    assert.equal(exitCode, 0);
    assert.deepEqual(
      bodies.filter((b) => !b.includes("five")),
      [],
    );
    assert.deepEqual(
      late.map((b) => (JSON.parse(b) as { error: { code: string } }).error.code),
      ["shutting_down", "shutting_down"],
    );
    const rows = await gateway.query<{ n: number; tokens: number }>(
      "select count(*)::int as n, sum(output_tokens)::int as tokens from usage_events",
    );
    // Every call was charged in full: the fake reports one output token per word.
    assert.deepEqual(rows[0], { n: 20, tokens: 20 * 5 });
  });
});
