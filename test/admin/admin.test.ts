import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type FakeOpenAI, startFakeOpenAI } from "../fakes/openai";
import { gatewayConfig } from "../helpers/configs";
import { assertValid } from "../helpers/openapi";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

describe("admin API: tenants and keys", () => {
  let fake: FakeOpenAI;
  let gateway: Tollgate;

  before(async () => {
    fake = await startFakeOpenAI();
    gateway = await startTollgate(gatewayConfig({ openai: fake.url }));
  });
  after(async () => {
    await gateway?.stop();
    await fake?.close();
  });

  const chat = (key: string) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "demo", messages: [{ role: "user", content: "hi" }] }),
    });

  test("creates a tenant, issues a key that works, and revokes it at once", async () => {
    const created = await gateway.admin("POST", "/api/admin/tenants", {
      name: "Acme",
      tier: "free",
    });
    assert.equal(created.status, 201);
    const tenant = (await created.json()) as { id: string; name: string; tier: string };
    assert.match(tenant.id, /^ten_/);
    assert.deepEqual({ name: tenant.name, tier: tenant.tier }, { name: "Acme", tier: "free" });

    const issued = await gateway.admin("POST", `/api/admin/tenants/${tenant.id}/keys`, {
      name: "backend",
    });
    assert.equal(issued.status, 201);
    const key = (await issued.json()) as { id: string; key: string; prefix: string };
    assert.match(key.key, /^tg_[0-9A-Za-z]{40}$/);
    assert.equal(key.prefix, key.key.slice(0, 11));

    assert.equal((await chat(key.key)).status, 200);
    const revoked = await gateway.admin("DELETE", `/api/admin/keys/${key.id}`);
    assert.equal(revoked.status, 204);
    const refused = await chat(key.key);
    assert.equal(refused.status, 401);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      "invalid_api_key",
    );
  });

  test("changes a tenant's tier and cap, and the next request uses the new tier", async () => {
    const { tenantId, key } = await gateway.createTenantWithKey("free");
    const gpt4o = () =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
      });
    assert.equal((await gpt4o()).status, 403);

    const patched = await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, {
      tier: "pro",
      monthlyBudgetUsd: 2.5,
    });
    assert.equal(patched.status, 200);
    const body = (await patched.json()) as { tier: string; monthlyBudgetUsd: number | null };
    assert.deepEqual({ tier: body.tier, cap: body.monthlyBudgetUsd }, { tier: "pro", cap: 2.5 });
    assert.equal((await gpt4o()).status, 200);

    const uncapped = await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, {
      monthlyBudgetUsd: null,
    });
    assert.equal(((await uncapped.json()) as { monthlyBudgetUsd: unknown }).monthlyBudgetUsd, null);

    // "tier" drops the override: the tenant follows its tier's cap again ($10 for pro here).
    const following = await gateway.admin("PATCH", `/api/admin/tenants/${tenantId}`, {
      monthlyBudgetUsd: "tier",
    });
    assert.equal(following.status, 200);
    const read = await gateway.admin("GET", `/api/admin/tenants/${tenantId}`);
    for (const view of [await following.json(), await read.json()]) {
      const { monthlyBudgetUsd, budgetOverridden } = view as Record<string, unknown>;
      assert.deepEqual(
        { monthlyBudgetUsd, budgetOverridden },
        {
          monthlyBudgetUsd: 10,
          budgetOverridden: false,
        },
      );
    }
  });

  const refusals: Array<{
    name: string;
    method: string;
    route: string;
    body?: unknown;
    status: number;
    error: object;
  }> = [
    {
      name: "an unknown tier",
      method: "POST",
      route: "/api/admin/tenants",
      body: { name: "X", tier: "platinum" },
      status: 400,
      error: {
        message: 'Unknown tier "platinum". Use one of: free, pro.',
        type: "invalid_request_error",
        param: "tier",
        code: "invalid_request",
      },
    },
    {
      name: "a tenant without a name",
      method: "POST",
      route: "/api/admin/tenants",
      body: { tier: "free" },
      status: 400,
      error: {
        message: "Invalid 'name': Invalid input: expected string, received undefined.",
        type: "invalid_request_error",
        param: "name",
        code: "invalid_request",
      },
    },
    {
      name: "a negative cap",
      method: "PATCH",
      route: "/api/admin/tenants/TENANT",
      body: { monthlyBudgetUsd: -1 },
      status: 400,
      error: {
        message: "Invalid 'monthlyBudgetUsd': must be 0 or more (null removes the cap).",
        type: "invalid_request_error",
        param: "monthlyBudgetUsd",
        code: "invalid_request",
      },
    },
    {
      name: "a cap that is neither dollars, null nor the tier's",
      method: "PATCH",
      route: "/api/admin/tenants/TENANT",
      body: { monthlyBudgetUsd: "unlimited" },
      status: 400,
      error: {
        message:
          "Invalid 'monthlyBudgetUsd': must be a number of dollars, null (no cap) or \"tier\" (the tier's cap).",
        type: "invalid_request_error",
        param: "monthlyBudgetUsd",
        code: "invalid_request",
      },
    },
    {
      name: "a key for a tenant that does not exist",
      method: "POST",
      route: "/api/admin/tenants/ten_missing/keys",
      body: { name: "k" },
      status: 404,
      error: {
        message: 'No tenant with id "ten_missing".',
        type: "invalid_request_error",
        param: null,
        code: "not_found",
      },
    },
    {
      name: "revoking a key that does not exist",
      method: "DELETE",
      route: "/api/admin/keys/key_missing",
      status: 404,
      error: {
        message: 'No API key with id "key_missing".',
        type: "invalid_request_error",
        param: null,
        code: "not_found",
      },
    },
  ];

  for (const r of refusals) {
    test(`refuses ${r.name} with ${r.status}`, async () => {
      const { tenantId } = await gateway.createTenantWithKey("free");
      const res = await gateway.admin(r.method, r.route.replace("TENANT", tenantId), r.body);
      const body = await res.json();
      assert.equal(res.status, r.status);
      assert.deepEqual(body, { error: r.error });
      assertValid("ErrorResponse", body);
    });
  }

  test("refuses a missing or wrong admin token with 401", async () => {
    for (const authorization of [undefined, "Bearer wrong-token"]) {
      const res = await fetch(`${gateway.url}/api/admin/tenants`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify({ name: "X" }),
      });
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), {
        error: {
          message:
            "Missing or wrong admin token. Send 'Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>'.",
          type: "invalid_request_error",
          param: null,
          code: "invalid_admin_token",
        },
      });
    }
  });

  test("never writes a whole key to the logs", async () => {
    const { key } = await gateway.createTenantWithKey("free");
    await chat(key);
    await chat(`${key.slice(0, -1)}X`);
    assert.ok(gateway.output().length > 0);
    assert.equal(gateway.output().includes(key.slice(11)), false);
  });
});
