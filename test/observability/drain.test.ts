import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  beginDrain,
  callsDrained,
  callsInFlight,
  cutCallsInFlight,
  isDraining,
  trackCall,
} from "@/lib/lifecycle";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { sampleValue, scrape } from "../helpers/prometheus";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

const METRICS_TOKEN = "metrics-token-drain-test";

describe("the shutdown drain", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI();
    gateway = await startTollgate(gatewayConfig({ openai: fake.url }), {
      TOLLGATE_METRICS_TOKEN: METRICS_TOKEN,
    });
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  test("after SIGTERM, refuses new requests with 503 and fails readiness while open streams finish", async () => {
    const { key } = await gateway.createTenantWithKey("pro");
    fake.setDefault({ kind: "text", content: "one two three four five", chunkDelayMs: 150 });
    const streams = Array.from({ length: 3 }, (_, i) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "gpt-4o",
          stream: true,
          messages: [{ role: "user", content: `stream ${i}` }],
        }),
      }).then((res) => res.text()),
    );
    await new Promise((r) => setTimeout(r, 200));

    const exited = gateway.terminate();
    await new Promise((r) => setTimeout(r, 100));
    const shuttingDown = {
      error: {
        message:
          "This Tollgate instance is shutting down. Retry the request; another instance will take it.",
        type: "api_error",
        param: null,
        code: "shutting_down",
      },
    };
    const ready = await fetch(`${gateway.url}/api/ready`);
    assert.equal(ready.status, 503);
    assert.equal(ready.headers.get("retry-after"), "1");
    assert.deepEqual(await ready.json(), shuttingDown);
    const models = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(models.status, 503);
    assert.deepEqual(await models.json(), shuttingDown);
    assert.equal((await fetch(`${gateway.url}/api/health`)).status, 200);
    const samples = await scrape(gateway.url, METRICS_TOKEN);
    assert.equal(sampleValue(samples, "tollgate_draining"), 1);
    assert.equal(sampleValue(samples, "tollgate_calls_in_flight"), 3);

    const bodies = await Promise.all(streams);
    assert.equal(await exited, 0);
    assert.deepEqual(
      bodies.map((b) => b.includes("five") && b.endsWith("data: [DONE]\n\n")),
      [true, true, true],
    );
    const rows = await gateway.query<{ n: number }>(
      "select count(*)::int as n from usage_events where outcome = 'ok'",
    );
    assert.equal(rows[0]?.n, 3);
  });
});

describe("lifecycle, in process", () => {
  test("calls still running at the deadline are cut and then drain", async () => {
    const cut: string[] = [];
    const releaseA = trackCall(() => {
      cut.push("a");
      releaseA();
    });
    const releaseB = trackCall(() => cut.push("b"));
    const releaseC = trackCall();
    releaseB();
    assert.equal(callsInFlight(), 2);
    assert.equal(await callsDrained(20), 2);

    assert.equal(cutCallsInFlight(), 1);
    assert.deepEqual(cut, ["a"]);
    const drained = callsDrained(1000);
    releaseC();
    releaseC();
    assert.equal(await drained, 0);
    assert.equal(callsInFlight(), 0);
  });

  test("isDraining turns true when the drain begins", () => {
    assert.equal(isDraining(), false);
    beginDrain();
    assert.equal(isDraining(), true);
  });
});
