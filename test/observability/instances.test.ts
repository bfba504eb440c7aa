import assert from "node:assert/strict";
import { describe, test } from "node:test";
import postgres from "postgres";
import { openDatabase } from "@/db/client";
import { TEST_DB } from "../helpers/tollgate";

const ADMIN_DB_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

describe("several instances on one Postgres", { skip: TEST_DB !== "postgres" }, () => {
  test("instances starting at once against a new database all come up migrated", async () => {
    const dbName = `tollgate_test_instances_${process.pid}_${Date.now().toString(36)}`;
    const admin = postgres(ADMIN_DB_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    process.env.DATABASE_URL = ADMIN_DB_URL.replace(/\/[^/]*$/, `/${dbName}`);
    try {
      const results = await Promise.allSettled([openDatabase(), openDatabase(), openDatabase()]);
      for (const result of results) if (result.status === "fulfilled") await result.value.close();
      assert.deepEqual(
        results.map((r) => (r.status === "fulfilled" ? "up" : String(r.reason))),
        ["up", "up", "up"],
      );
      const db = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
      const [row] = await db`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await db.end();
      const journal = (await import("@/db/migrations/meta/_journal.json")).default;
      assert.equal(row?.n, journal.entries.length);
    } finally {
      await admin.unsafe(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  });
});
