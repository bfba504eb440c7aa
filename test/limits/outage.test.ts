import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { freePort, startTollgate, type Tollgate } from "../helpers/tollgate";

/** A Redis of this test's own, so stopping it disturbs nothing else on the machine. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  const deadline = Date.now() + 5000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) return child;
    if (Date.now() > deadline) throw new Error("redis-server did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("Redis outage", () => {
  let fake: FakeOpenAI;
  let redis: ChildProcess;
  let port: number;
  let open: Tollgate;
  let closed: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI();
    port = await freePort();
    redis = await startRedis(port);
    const env = {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      TOLLGATE_STORE_PREFIX: `tgtest:outage:${port}`,
    };
    const config = gatewayConfig({ openai: fake.url });
    open = await startTollgate({ ...config, store: { onOutage: "open" } }, env);
    closed = await startTollgate({ ...config, store: { onOutage: "closed" } }, env);
  });
  after(async () => {
    await open?.stop();
    await closed?.stop();
    redis?.kill("SIGKILL");
    await fake?.close();
  });

  const call = async (gateway: Tollgate, key: string) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
    });

  test("fail-open keeps serving with per-process limits, fail-closed answers 503, both recover", async () => {
    const openKey = (await open.createTenantWithKey("pro")).key;
    const closedKey = (await closed.createTenantWithKey("pro")).key;
    assert.equal((await call(open, openKey)).status, 200);
    assert.equal((await call(closed, closedKey)).status, 200);

    redis.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    const duringOpen = await call(open, openKey);
    assert.equal(duringOpen.status, 200);
    assert.equal(duringOpen.headers.get("x-ratelimit-remaining-requests"), "999");
    const duringClosed = await call(closed, closedKey);
    assert.equal(duringClosed.status, 503);
    assert.deepEqual(await duringClosed.json(), {
      error: {
        message:
          "Tollgate cannot reach its rate-limit store right now, and is configured to refuse requests until it is back. Retry in a few seconds.",
        type: "api_error",
        param: null,
        code: "store_unavailable",
      },
    });
    for (const gateway of [open, closed]) {
      assert.match(gateway.output(), /store unreachable: applying the outage policy/);
    }

    redis = await startRedis(port);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await call(closed, closedKey)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200);
    assert.equal((await call(open, openKey)).status, 200);
    await waitFor(() => /back on the shared store/.test(open.output()), "fail-open to recover");
  });
});
