import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { startTollgate, type Tollgate } from "../helpers/tollgate";
import { budgetConfig, chat, RESERVED } from "./budget-helpers";

interface Received {
  body: string;
  signature: string;
}

/** A webhook receiver that answers with the given statuses in turn, then 200. */
async function receiver(
  statuses: number[] = [],
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      received.push({ body, signature: String(req.headers["x-tollgate-signature"]) });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    server,
  };
}

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
};

describe("budget alerts", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI();
    fake.setDefault({ kind: "text", content: "ok", usage: { prompt: 8, completion: 100 } });
    gateway = await startTollgate(budgetConfig(fake.url), { TOLLGATE_ALERT_RETRY_BASE_MS: "100" });
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  test("crossing 50% and 80% with 20 parallel requests sends exactly one signed delivery each", async () => {
    const hook = await receiver();
    try {
      const { tenantId, key } = await gateway.createTenantWithKey("pro");
      // 20 calls of 1,020,000 nano-dollars against a cap of 24,000,000: past 50% and 80%, not 100%.
      await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, { monthlyBudgetUsd: 0.024 });
      const added = await gateway.admin("POST", `/api/admin/tenants/${tenantId}/webhooks`, {
        url: hook.url,
      });
      assert.equal(added.status, 201);
      const { signingSecret } = (await added.json()) as { signingSecret: string };
      assert.match(signingSecret, /^whsec_/);
      assert.ok(20 * RESERVED < 24_000_000);

      const statuses = await Promise.all(
        Array.from({ length: 20 }, () => chat(gateway.url, key).then((r) => r.status)),
      );
      assert.deepEqual(new Set(statuses), new Set([200]));
      await until(() => hook.received.length >= 2);
      await new Promise((r) => setTimeout(r, 500));

      assert.equal(hook.received.length, 2);
      const events = hook.received.map(
        (r) => JSON.parse(r.body) as { thresholdPercent: number; tenantId: string; capUsd: number },
      );
      assert.deepEqual(events.map((e) => e.thresholdPercent).sort(), [50, 80]);
      for (const [i, r] of hook.received.entries()) {
        const expected = `sha256=${createHmac("sha256", signingSecret).update(r.body).digest("hex")}`;
        assert.equal(r.signature, expected);
        assert.equal(events[i]?.tenantId, tenantId);
        assert.equal(events[i]?.capUsd, 0.024);
      }
    } finally {
      hook.server.close();
    }
  });

  test("a failing webhook is retried until it answers, and the delivery records it", async () => {
    const hook = await receiver([500, 503]);
    try {
      const { tenantId, key } = await gateway.createTenantWithKey("pro");
      await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, { monthlyBudgetUsd: 0.0015 });
      await gateway.admin("POST", `/api/admin/tenants/${tenantId}/webhooks`, { url: hook.url });
      assert.equal((await chat(gateway.url, key)).status, 200);
      await until(() => hook.received.length >= 3);
      await new Promise((r) => setTimeout(r, 300));
      const view = (await (
        await gateway.admin("GET", `/api/admin/tenants/${tenantId}/webhooks`)
      ).json()) as {
        deliveries: Array<{
          thresholdPercent: number;
          status: string;
          attempts: number;
          responseStatus: number;
        }>;
      };
      // One call of 1,020,000 against a cap of 1,500,000 crosses 50% only.
      assert.deepEqual(
        view.deliveries.map((d) => ({
          threshold: d.thresholdPercent,
          status: d.status,
          attempts: d.attempts,
          response: d.responseStatus,
        })),
        [{ threshold: 50, status: "delivered", attempts: 3, response: 200 }],
      );
      assert.equal(hook.received.length, 3);
      assert.equal(new Set(hook.received.map((r) => r.body)).size, 1);
    } finally {
      hook.server.close();
    }
  });
});
