import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { type Database, openDatabase } from "@/db/client";
import { type UsageEvent, UsageRecorder } from "@/lib/usage/recorder";
import { deleteExpiredUsage, retentionPolicy } from "@/lib/usage/retention";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { sampleValue, scrape } from "../helpers/prometheus";
import { startTollgate, TEST_DB } from "../helpers/tollgate";

const ADMIN_DB_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const DAY_MS = 24 * 60 * 60 * 1000;

/** A database of this test's own, like the server's: a new Postgres database or PGlite folder. */
async function openTestDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), "tollgate-retention-"));
  const dbName = `tollgate_test_retention_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(ADMIN_DB_URL, { max: 1, onnotice: () => {} });
  if (TEST_DB === "postgres") await admin.unsafe(`create database ${dbName}`);
  process.env.DATABASE_URL =
    TEST_DB === "postgres" ? ADMIN_DB_URL.replace(/\/[^/]*$/, `/${dbName}`) : "";
  process.env.TOLLGATE_DATA_DIR = dir;
  const database = await openDatabase();
  return {
    database,
    async drop() {
      await database.close();
      if (TEST_DB === "postgres") {
        await admin.unsafe(`drop database if exists ${dbName} with (force)`);
      }
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const event = (requestId: string, createdAt: Date): UsageEvent => ({
  requestId,
  tenantId: "ten_1",
  keyId: "key_1",
  modelRequested: "gpt-4o",
  modelServed: "gpt-4o",
  providerId: "openai",
  inputTokens: 100,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 10,
  costNanoUsd: 350_000,
  latencyMs: 200,
  status: 200,
  outcome: "ok",
  streamed: false,
  estimated: false,
  createdAt,
});

describe("usage retention, on the database", () => {
  let test_db: Awaited<ReturnType<typeof openTestDatabase>>;
  before(async () => {
    test_db = await openTestDatabase();
  });
  after(async () => {
    await test_db?.drop();
  });

  const count = async (query: ReturnType<typeof sql>) => {
    const result = await test_db.database.db.execute<{ n: number }>(query);
    const rows = Array.isArray(result) ? result : (result as { rows: Array<{ n: number }> }).rows;
    return rows[0]?.n;
  };

  test("deletes raw events older than the cutoff in batches and keeps the daily aggregates", async () => {
    const recorder = new UsageRecorder(test_db.database.db);
    const now = Date.now();
    for (let i = 0; i < 5; i++) recorder.record(event(`old${i}`, new Date(now - 500 * DAY_MS)));
    for (let i = 0; i < 3; i++) recorder.record(event(`new${i}`, new Date(now - DAY_MS)));
    await recorder.flush();

    const deleted = await deleteExpiredUsage(test_db.database.db, new Date(now - 400 * DAY_MS), 2);
    assert.equal(deleted, 5);
    assert.equal(await count(sql`select count(*)::int as n from usage_events`), 3);
    assert.equal(
      await count(sql`select count(*)::int as n from usage_events where request_id like 'new%'`),
      3,
    );
    assert.equal(await count(sql`select sum(requests)::int as n from usage_daily`), 8);
    assert.equal(await count(sql`select sum(cost_nano_usd)::int as n from usage_daily`), 2_800_000);
    assert.equal(await deleteExpiredUsage(test_db.database.db, new Date(now - 400 * DAY_MS)), 0);
  });

  test("two instances running it at once delete each old event once", async () => {
    const recorder = new UsageRecorder(test_db.database.db);
    const old = new Date(Date.now() - 3 * DAY_MS);
    for (let i = 0; i < 40; i++) recorder.record(event(`both${i}`, old));
    await recorder.flush();
    const cutoff = new Date(Date.now() - 2 * DAY_MS);
    const runs = await Promise.all([
      deleteExpiredUsage(test_db.database.db, cutoff, 3),
      deleteExpiredUsage(test_db.database.db, cutoff, 3),
    ]);
    assert.equal(runs[0] + runs[1], 40);
    assert.equal(await count(sql`select count(*)::int as n from usage_events`), 3);
  });
});

describe("usage retention policy", () => {
  test("keeps 400 days by default, takes fractions and 'off', refuses anything else", () => {
    assert.deepEqual(retentionPolicy({}), {
      retentionDays: 400,
      intervalMs: 3_600_000,
      batchSize: 5000,
    });
    assert.equal(retentionPolicy({ TOLLGATE_USAGE_RETENTION_DAYS: "0.5" }).retentionDays, 0.5);
    assert.equal(retentionPolicy({ TOLLGATE_USAGE_RETENTION_DAYS: "off" }).retentionDays, null);
    assert.equal(retentionPolicy({ TOLLGATE_USAGE_RETENTION_INTERVAL_MS: "250" }).intervalMs, 250);
    for (const bad of ["-1", "forever", "1e999"]) {
      assert.throws(
        () => retentionPolicy({ TOLLGATE_USAGE_RETENTION_DAYS: bad }),
        new RegExp(
          `TOLLGATE_USAGE_RETENTION_DAYS must be a number of days >= 0 or "off", not "${bad}"`,
        ),
      );
    }
  });
});

describe("usage retention, scheduled on a running instance", () => {
  let fake: FakeOpenAI;
  before(async () => {
    fake = await startFakeOpenAI();
  });
  after(async () => {
    await fake?.close();
  });

  test("the job deletes expired raw events on its own while usage_daily keeps the totals", async () => {
    const token = "metrics-token-retention";
    const gateway = await startTollgate(gatewayConfig({ openai: fake.url }), {
      TOLLGATE_METRICS_TOKEN: token,
      // Zero days: every event is expired as soon as it is written, so the job has work at once.
      TOLLGATE_USAGE_RETENTION_DAYS: "0",
      TOLLGATE_USAGE_RETENTION_INTERVAL_MS: "200",
    });
    try {
      const { key } = await gateway.createTenantWithKey("pro");
      fake.setDefault({ kind: "text", content: "ok", usage: { prompt: 1000, completion: 500 } });
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${gateway.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
        });
        assert.equal(res.status, 200);
      }
      const deadline = Date.now() + 10_000;
      let deleted: number | undefined;
      while (Date.now() < deadline) {
        deleted = sampleValue(
          await scrape(gateway.url, token),
          "tollgate_usage_events_deleted_total",
        );
        if (deleted === 3) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(deleted, 3);

      assert.equal(await gateway.terminate(), 0);
      const events = await gateway.query<{ n: number }>(
        "select count(*)::int as n from usage_events",
      );
      assert.equal(events[0]?.n, 0);
      const daily = await gateway.query<{ requests: number; cost: number }>(
        "select sum(requests)::int as requests, sum(cost_nano_usd)::int as cost from usage_daily",
      );
      assert.deepEqual(daily[0], { requests: 3, cost: 22_500_000 });
    } finally {
      await gateway.stop();
    }
  });
});
