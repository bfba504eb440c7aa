import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { freePort, startTollgate, type Tollgate } from "../helpers/tollgate";

/** A port whose connections never open (see the script), so only a connect timeout ends a call. */
async function blackhole(port: number): Promise<ChildProcess> {
  const script = path.resolve(import.meta.dirname, "../fixtures/tools/blackhole.py");
  const child = spawn("python3", [script, String(port)], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));
  return child;
}

describe("connect timeout per provider", () => {
  let fallback: FakeOpenAI;
  let hole: ChildProcess;
  let gateway: Tollgate;

  before(async () => {
    fallback = await startFakeOpenAI();
    const port = await freePort();
    hole = await blackhole(port);
    gateway = await startTollgate({
      providers: [
        {
          id: "stuck",
          type: "openai",
          baseURL: `http://127.0.0.1:${port}/v1`,
          timeoutMs: 10_000,
          connectTimeoutMs: 300,
        },
        { id: "good", type: "openai", baseURL: `${fallback.url}/v1` },
      ],
      models: [
        { id: "stuck-model", provider: "stuck", inputPerMillionUsd: 1, outputPerMillionUsd: 1 },
        { id: "good-model", provider: "good", inputPerMillionUsd: 1, outputPerMillionUsd: 1 },
      ],
      routing: { retries: 0 },
      tiers: [
        {
          id: "pro",
          monthlyBudgetUsd: 1,
          requestsPerMinute: 100,
          tokensPerMinute: 100_000,
          models: ["stuck-model", "good-model"],
        },
      ],
    });
  });
  after(async () => {
    await gateway?.stop();
    hole?.kill();
    await fallback?.close();
  });

  test("a provider that cannot be connected to within connectTimeoutMs falls back at once", async () => {
    const { key } = await gateway.createTenantWithKey("pro");
    const started = performance.now();
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "stuck-model", messages: [{ role: "user", content: "hi" }] }),
    });
    const elapsed = performance.now() - started;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-tollgate-model"), "good-model");
    assert.equal(res.headers.get("x-tollgate-fallbacks"), "stuck-model");
    assert.ok(elapsed < 2000, `took ${Math.round(elapsed)} ms; the first-byte timeout is 10 s`);
  });
});
