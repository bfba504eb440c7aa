import assert from "node:assert/strict";
import { test } from "node:test";
import type { Db } from "@/db/client";
import { generateKeySecret } from "@/lib/keys/secret";
import { KeyCache, MAX_ENTRIES } from "@/lib/keys/verify";
import { memoryStore } from "../helpers/memory-store";

const store = memoryStore();

/** A database that knows every key (or none) and counts the lookups. */
function fakeDb(knowsKeys: boolean) {
  const db = {
    lookups: 0,
    select: () => ({
      from: () => ({
        innerJoin: () => ({
          where: async () => {
            db.lookups++;
            if (!knowsKeys) return [];
            const key = { id: "key_1", name: "k", tenantId: "ten_1", revokedAt: null };
            return [{ key, tenant: { id: "ten_1", tier: "free", budgetOverridden: false } }];
          },
        }),
      }),
    }),
  };
  return db;
}

test("a verified key is read from the database once, however often it calls", async () => {
  const secret = generateKeySecret();
  const db = fakeDb(true);
  const cache = new KeyCache(db as unknown as Db, store);
  for (let i = 0; i < 100; i++) {
    const principal = await cache.verify(`Bearer ${secret}`);
    assert.equal(principal.keyId, "key_1");
  }
  assert.equal(db.lookups, 1);
});

test("keys sprayed at the gateway cannot grow the cache without end", async () => {
  const db = fakeDb(false);
  const cache = new KeyCache(db as unknown as Db, store);
  for (let i = 0; i < MAX_ENTRIES + 5_000; i++) {
    await assert.rejects(cache.verify(`Bearer ${generateKeySecret()}`), {
      code: "invalid_api_key",
    });
  }
  assert.ok(cache.size <= MAX_ENTRIES, `${cache.size} entries`);
  assert.equal(db.lookups, MAX_ENTRIES + 5_000);
});
