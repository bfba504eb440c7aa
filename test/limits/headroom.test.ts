import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KeyPrincipal } from "@/lib/keys/verify";
import { admit, tenantHeadroom } from "@/lib/limits/ratelimit";
import { memoryStore } from "../helpers/memory-store";

const store = memoryStore();
const principal = (keyId: string): KeyPrincipal => ({
  keyId,
  keyName: keyId,
  tenantId: "ten_headroom",
  tier: "pro",
  tenantBudgetNanoUsd: undefined,
  keyRequestsPerMinute: null,
  keyTokensPerMinute: null,
  keyBudgetNanoUsd: null,
  version: "0",
});

describe("rate-limit headroom for the dashboard", () => {
  test("shows what is left of the tenant's window, across its keys, without counting", async () => {
    const tier = { requestsPerMinute: 10, tokensPerMinute: 1000 };
    assert.deepEqual(await tenantHeadroom(store, "ten_headroom", tier), {
      requestsRemaining: 10,
      tokensRemaining: 1000,
    });
    await admit(store, principal("key_a"), tier, 300);
    await admit(store, principal("key_b"), tier, 200);
    const left = await tenantHeadroom(store, "ten_headroom", tier);
    assert.deepEqual(left, { requestsRemaining: 8, tokensRemaining: 500 });
    assert.deepEqual(await tenantHeadroom(store, "ten_headroom", tier), left);
  });
});
