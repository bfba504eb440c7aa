import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

describe("provider timeouts", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;
  let key: string;

  before(async () => {
    fake = await startFakeOpenAI();
    gateway = await startTollgate(gatewayConfig({ openai: fake.url }, { timeoutMs: 800 }));
    key = (await gateway.createTenantWithKey("pro")).key;
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  const call = (stream: boolean) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o",
        stream,
        messages: [{ role: "user", content: "slow" }],
      }),
    });

  test("a provider that answers nothing within timeoutMs gets 504 upstream_timeout", async () => {
    fake.script({ kind: "text", content: "late", delayMs: 2000 });
    const res = await call(false);
    assert.equal(res.status, 504);
    const body = (await res.json()) as { error: { code: string; type: string } };
    assert.deepEqual(
      { code: body.error.code, type: body.error.type },
      { code: "upstream_timeout", type: "api_error" },
    );
  });

  test("a stream that stalls between chunks ends with an error event and [DONE]", async () => {
    fake.script({ kind: "text", content: "one two three", chunkDelayMs: 1500, stallAfter: 2 });
    const res = await call(true);
    assert.equal(res.status, 200);
    const events = (await res.text()).split("\n\n").filter(Boolean);
    assert.equal(events.at(-1), "data: [DONE]");
    const error = JSON.parse(events.at(-2)?.slice(6) ?? "{}") as {
      error?: { code: string; message: string };
    };
    assert.deepEqual(error.error, {
      message: 'Upstream provider "openai" sent nothing for 800 ms.',
      type: "api_error",
      param: null,
      code: "upstream_timeout",
    });
    await fake.settled();
    assert.equal(fake.requests.at(-1)?.aborted, true);
  });

  test("a stream that stalls before its first content is answered 504, never half-started", async () => {
    fake.script({ kind: "text", content: "one two three", chunkDelayMs: 1500, stallAfter: 1 });
    const res = await call(true);
    assert.equal(res.status, 504);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, "upstream_timeout");
  });
});
