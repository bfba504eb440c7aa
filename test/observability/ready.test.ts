import assert from "node:assert/strict";
import { connect, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { sampleValue, scrape } from "../helpers/prometheus";
import { freePort, startTollgate } from "../helpers/tollgate";

const REDIS = new URL(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379");
const METRICS_TOKEN = "metrics-token-ready-test";

/** A TCP relay to the test Redis that can be cut, to play a Redis outage. */
async function startRedisRelay(): Promise<{ url: string; cut(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(REDIS.port || 6379), REDIS.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      if (server.listening) server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

const readiness = async (url: string) => {
  const res = await fetch(`${url}/api/ready`);
  const body = (await res.json()) as { status: string; store: { ok: boolean; kind: string } };
  return { status: res.status, ready: body.status, store: body.store };
};

/**
 * Polls until the instance sees the store as `ok`: its Redis client connects, and notices a lost
 * connection, in the background.
 */
async function untilStore(url: string, ok: boolean) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await readiness(url);
    if (answer.store.ok === ok || Date.now() > deadline) return answer;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("readiness during a Redis outage", () => {
  let fake: FakeOpenAI;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(async () => {
    await fake?.close();
  });

  test("with store.onOutage open (the default) the instance stays ready and reports the store down", async () => {
    const relay = await startRedisRelay();
    const gateway = await startTollgate(gatewayConfig({ openai: fake.url }), {
      REDIS_URL: relay.url,
      TOLLGATE_METRICS_TOKEN: METRICS_TOKEN,
    });
    try {
      const up = await untilStore(gateway.url, true);
      assert.deepEqual(
        [up.status, up.ready, up.store.ok, up.store.kind],
        [200, "ready", true, "redis"],
      );
      relay.cut();
      const down = await untilStore(gateway.url, false);
      assert.deepEqual(
        [down.status, down.ready, down.store.ok, down.store.kind],
        [200, "ready", false, "redis"],
      );
      const samples = await scrape(gateway.url, METRICS_TOKEN);
      assert.equal(sampleValue(samples, "tollgate_store_up", { store: "redis" }), 0);
    } finally {
      relay.cut();
      await gateway.stop();
    }
  });

  test("with store.onOutage closed the instance turns unready when Redis goes away", async () => {
    const relay = await startRedisRelay();
    const config = { ...gatewayConfig({ openai: fake.url }), store: { onOutage: "closed" } };
    const gateway = await startTollgate(config, { REDIS_URL: relay.url });
    try {
      assert.equal((await untilStore(gateway.url, true)).status, 200);
      relay.cut();
      const down = await untilStore(gateway.url, false);
      assert.deepEqual(
        [down.status, down.ready, down.store.ok, down.store.kind],
        [503, "unavailable", false, "redis"],
      );
    } finally {
      relay.cut();
      await gateway.stop();
    }
  });
});
