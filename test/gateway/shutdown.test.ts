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

  test("SIGTERM lets open streams finish and writes every usage event before exiting", async () => {
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
    await new Promise((r) => setTimeout(r, 150));

    const exitCode = await gateway.terminate();
    const bodies = await Promise.all(calls);
    assert.equal(exitCode, 0);
    assert.equal(bodies.filter((b) => b.includes("five")).length, 20);
    const rows = await gateway.query<{ n: number }>("select count(*)::int as n from usage_events");
    assert.equal(rows[0]?.n, 20);
  });
});
