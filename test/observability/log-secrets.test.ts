import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

const unique = () => randomBytes(8).toString("hex");
const PROVIDER_KEY = `sk-test-provider-${unique()}`;
const METRICS_TOKEN = `metrics-${unique()}`;
const PROMPT = `Summarise the zebra marmalade memo ${unique()}`;

type LogLine = Record<string, unknown>;

describe("what the logs hold after a run", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;
  let key: string;
  let tenantId: string;
  const requestIds: string[] = [];

  before(async () => {
    fake = await startFakeOpenAI();
    gateway = await startTollgate(gatewayConfig({ openai: fake.url }), {
      TEST_OPENAI_KEY: PROVIDER_KEY,
      TOLLGATE_METRICS_TOKEN: METRICS_TOKEN,
    });
    ({ key, tenantId } = await gateway.createTenantWithKey("pro"));

    const chat = async (body: object, apiKey = key, signal?: AbortSignal) => {
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal,
      });
      requestIds.push(res.headers.get("x-request-id") ?? "");
      return res.text();
    };
    const messages = [{ role: "user", content: PROMPT }];
    fake.script(
      { kind: "text", content: `Answer about ${PROMPT}` },
      { kind: "text", content: `Streamed answer about ${PROMPT}` },
      { kind: "error", status: 400, message: "Unknown parameter: 'foo'.", param: "foo" },
      { kind: "streamError", after: 2, message: "fake cut" },
      { kind: "text", content: "one two three four five six", chunkDelayMs: 200 },
    );
    await chat({ model: "gpt-4o", messages });
    await chat({
      model: "gpt-4o",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    await chat({ model: "gpt-4o", messages });
    await chat({ model: "gpt-4o", messages, stream: true });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    await chat({ model: "gpt-4o", messages, stream: true }, key, abort.signal).catch(() => "");
    await fake.settled();
    await chat({ model: "gpt-4o", messages: PROMPT });
    await chat(
      { model: "gpt-4o", messages },
      `${key.slice(0, -1)}${key.endsWith("a") ? "b" : "a"}`,
    );
    await chat({ model: "gpt-4o", messages }, PROVIDER_KEY);
    await gateway.admin("GET", `/api/admin/tenants/${tenantId}/usage`);
    await fetch(`${gateway.url}/api/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    await fetch(`${gateway.url}/api/metrics`, { headers: { authorization: `Bearer ${unique()}` } });
    assert.equal(await gateway.terminate(), 0);
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  const jsonLines = (): LogLine[] =>
    gateway
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as LogLine);

  test("the provider key was in use, yet no secret and no prompt text appears anywhere", () => {
    assert.ok(fake.requests.some((r) => r.headers.authorization === `Bearer ${PROVIDER_KEY}`));
    const output = gateway.output();
    assert.ok(output.length > 1000, "the server logged the run");
    const secrets = {
      "provider key": PROVIDER_KEY,
      "Tollgate key": key,
      "Tollgate key without its last character": key.slice(0, -1),
      "admin token": gateway.adminToken,
      "metrics token": METRICS_TOKEN,
      "prompt text": PROMPT,
      "prompt's distinctive words": "zebra marmalade",
    };
    for (const [what, secret] of Object.entries(secrets)) {
      assert.equal(output.includes(secret), false, `the logs contain the ${what}`);
    }
  });

  test("one summary event per call that reached the provider, with who, what, how much and how", () => {
    const summaries = jsonLines().filter((line) => line.msg === "chat completion");
    assert.deepEqual(
      summaries.map((s) => s.requestId),
      requestIds.slice(0, 5),
    );
    assert.deepEqual(
      summaries.map((s) => [s.outcome, s.status, s.streamed]),
      [
        ["ok", 200, false],
        ["ok", 200, true],
        ["error", 400, false],
        ["incomplete", 200, true],
        ["client_disconnected", 200, true],
      ],
    );
    for (const summary of summaries) {
      assert.equal(summary.level, 30);
      assert.equal(summary.tenantId, tenantId);
      assert.match(String(summary.keyId), /^key_/);
      assert.equal(summary.tier, "pro");
      assert.equal(summary.modelRequested, "gpt-4o");
      assert.equal(summary.modelServed, "gpt-4o");
      assert.equal(summary.provider ?? summary.providerId, "openai");
      assert.equal(summary.attempts, 1);
      for (const field of ["inputTokens", "outputTokens", "costNanoUsd", "latencyMs"]) {
        assert.equal(typeof summary[field], "number", field);
      }
    }
  });

  test("every line about a request carries its request id", () => {
    const refused = jsonLines().filter((line) => line.msg === "request refused");
    const refusedBefore = requestIds.slice(5, 8);
    assert.deepEqual(
      refused.filter((line) => refusedBefore.includes(String(line.requestId))).map((l) => l.code),
      ["invalid_request", "invalid_api_key", "invalid_api_key"],
    );
    for (const line of jsonLines()) {
      if ("status" in line || "tenantId" in line) assert.match(String(line.requestId), /^req_/);
    }
  });
});
