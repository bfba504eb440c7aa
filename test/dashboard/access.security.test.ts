import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, type Tollgate } from "../helpers/tollgate";
import { type DashboardUser, signUpAndIn } from "./browser-session";

let t: Tollgate;
let alice: DashboardUser;
let bob: DashboardUser;
let carol: DashboardUser;
let ops: DashboardUser;
let bobKey: { id: string; key: string };

const BOB_KEY_NAME = "bobs-production-key";

before(async () => {
  t = await startTollgate(gatewayConfig({ openai: "http://127.0.0.1:9" }), {
    TOLLGATE_ADMIN_EMAILS: "ops@example.com",
  });
  alice = await signUpAndIn(t.url, "alice@example.com");
  bob = await signUpAndIn(t.url, "bob@example.com");
  carol = await signUpAndIn(t.url, "carol@example.com");
  ops = await signUpAndIn(t.url, "ops@example.com");
  const res = await bob.call("POST", `/api/dashboard/tenants/${bob.tenantId}/keys`, {
    name: BOB_KEY_NAME,
  });
  assert.equal(res.status, 201);
  bobKey = (await res.json()) as { id: string; key: string };
});
after(() => t.stop());

async function bobKeyWorks(): Promise<boolean> {
  const res = await fetch(`${t.url}/v1/models`, {
    headers: { authorization: `Bearer ${bobKey.key}` },
  });
  return res.status === 200;
}

async function assertNotFound(res: Response) {
  assert.equal(res.status, 404, `${res.url} answered ${res.status}`);
  const body = (await res.json()) as { error: { code: string } };
  assert.equal(body.error.code, "not_found");
}

describe("a member of one tenant cannot reach another tenant's data", () => {
  test("routes on another tenant's id answer 404 and change nothing", async () => {
    const other = `/api/dashboard/tenants/${bob.tenantId}`;
    await assertNotFound(await alice.call("POST", `${other}/keys`, { name: "intruder" }));
    await assertNotFound(await alice.call("PATCH", `${other}/keys/${bobKey.id}`, { name: "x" }));
    await assertNotFound(await alice.call("DELETE", `${other}/keys/${bobKey.id}`));
    await assertNotFound(await alice.call("GET", `${other}/usage.csv`));
    await assertNotFound(await alice.call("POST", `${other}/tier`, { tier: "pro" }));
    await assertNotFound(
      await alice.call("POST", `${other}/alerts/webhooks`, { url: "https://a.example" }),
    );
    await assertNotFound(
      await alice.call("PUT", `${other}/alerts/thresholds`, { thresholdsPercent: [1] }),
    );
    await assertNotFound(await alice.call("POST", `${other}/alerts/secret`));
    await assertNotFound(await alice.call("POST", `${other}/invites`));
    await assertNotFound(
      await alice.call("POST", "/api/dashboard/current-tenant", { tenantId: bob.tenantId }),
    );
    assert.equal(await bobKeyWorks(), true);
  });

  test("another tenant's key id under one's own tenant is unknown, not revoked or renamed", async () => {
    const own = `/api/dashboard/tenants/${alice.tenantId}`;
    await assertNotFound(await alice.call("DELETE", `${own}/keys/${bobKey.id}`));
    await assertNotFound(await alice.call("PATCH", `${own}/keys/${bobKey.id}`, { name: "mine" }));
    assert.equal(await bobKeyWorks(), true);
    const page = await (await bob.call("GET", "/dashboard/keys")).text();
    assert.match(page, new RegExp(BOB_KEY_NAME));
  });

  test("pages show one's own tenant even with another tenant's id in the tenant cookie", async () => {
    for (const path of [
      "/dashboard",
      "/dashboard/keys",
      "/dashboard/usage",
      "/dashboard/billing",
    ]) {
      const res = await alice.call("GET", path, undefined, `tg_tenant=${bob.tenantId}`);
      assert.equal(res.status, 200, path);
      const html = await res.text();
      assert.doesNotMatch(html, new RegExp(BOB_KEY_NAME), path);
      assert.doesNotMatch(html, new RegExp(bob.tenantId), path);
    }
  });

  test("operator pages and routes are closed to tenants", async () => {
    assert.equal((await alice.call("GET", "/admin")).status, 404);
    const patch = await alice.call("PATCH", `/api/dashboard/operator/tenants/${bob.tenantId}`, {
      tier: "pro",
    });
    assert.equal(patch.status, 403);
    assert.equal(
      (await alice.call("DELETE", `/api/dashboard/operator/keys/${bobKey.id}`)).status,
      403,
    );
    assert.equal(await bobKeyWorks(), true);
  });

  test("without a session every route answers 401 and every page sends to /signin", async () => {
    const anonymous = (method: string, route: string) =>
      fetch(`${t.url}${route}`, { method, redirect: "manual" });
    const routes: Array<[string, string]> = [
      ["POST", `/api/dashboard/tenants/${bob.tenantId}/keys`],
      ["DELETE", `/api/dashboard/tenants/${bob.tenantId}/keys/${bobKey.id}`],
      ["GET", `/api/dashboard/tenants/${bob.tenantId}/usage.csv`],
      ["POST", `/api/dashboard/tenants/${bob.tenantId}/tier`],
      ["DELETE", `/api/dashboard/operator/keys/${bobKey.id}`],
    ];
    for (const [method, route] of routes) {
      assert.equal((await anonymous(method, route)).status, 401, route);
    }
    for (const path of ["/dashboard", "/dashboard/keys", "/admin"]) {
      const res = await anonymous("GET", path);
      assert.equal(res.status, 307, path);
      assert.match(res.headers.get("location") ?? "", /\/signin\?callbackUrl=/);
    }
  });
});

describe("roles inside a tenant", () => {
  test("an invited member manages keys but not the tier, alerts or invites", async () => {
    const invite = await bob.call("POST", `/api/dashboard/tenants/${bob.tenantId}/invites`);
    assert.equal(invite.status, 201);
    const { token } = (await invite.json()) as { token: string };
    assert.equal((await carol.call("POST", `/api/dashboard/invites/${token}`)).status, 200);
    // The link works once.
    await assertNotFound(await alice.call("POST", `/api/dashboard/invites/${token}`));

    const base = `/api/dashboard/tenants/${bob.tenantId}`;
    assert.equal((await carol.call("POST", `${base}/keys`, { name: "carol" })).status, 201);
    assert.equal((await carol.call("GET", `${base}/usage.csv`)).status, 200);
    for (const [method, route, body] of [
      ["POST", `${base}/tier`, { tier: "pro" }],
      ["POST", `${base}/alerts/secret`, undefined],
      ["POST", `${base}/invites`, undefined],
    ] as const) {
      const res = await carol.call(method, route, body);
      assert.equal(res.status, 403, route);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "forbidden");
    }
  });

  test("an owner removes members, a member leaves, and a workspace keeps its last owner", async () => {
    const base = `/api/dashboard/tenants/${bob.tenantId}`;
    const member = (u: DashboardUser) => `${base}/members/${u.userId}`;
    // Carol joined as a member above: she cannot remove the owner, and an outsider learns nothing.
    assert.equal((await carol.call("DELETE", member(bob))).status, 403);
    await assertNotFound(await alice.call("DELETE", member(carol)));
    const lastOwner = await bob.call("DELETE", member(bob));
    assert.equal(lastOwner.status, 409);
    assert.equal(((await lastOwner.json()) as { error: { code: string } }).error.code, "conflict");

    assert.equal((await bob.call("DELETE", member(carol))).status, 204);
    await assertNotFound(await carol.call("POST", `${base}/keys`, { name: "after removal" }));
    await assertNotFound(await bob.call("DELETE", member(carol)));

    const invite = await bob.call("POST", `${base}/invites`);
    const { token } = (await invite.json()) as { token: string };
    assert.equal((await alice.call("POST", `/api/dashboard/invites/${token}`)).status, 200);
    assert.equal((await alice.call("GET", `${base}/usage.csv`)).status, 200);
    assert.equal((await alice.call("DELETE", member(alice))).status, 204);
    await assertNotFound(await alice.call("GET", `${base}/usage.csv`));
    // Bob is still the owner of his workspace.
    assert.equal((await bob.call("POST", `${base}/invites`)).status, 201);
  });

  test("an operator changes any tenant's tier and revokes any key", async () => {
    const patch = await ops.call("PATCH", `/api/dashboard/operator/tenants/${alice.tenantId}`, {
      tier: "pro",
    });
    assert.equal(patch.status, 200);
    assert.equal(((await patch.json()) as { tier: string }).tier, "pro");
    const revoke = await ops.call("DELETE", `/api/dashboard/operator/keys/${bobKey.id}`);
    assert.equal(revoke.status, 204);
    assert.equal(await bobKeyWorks(), false);
  });
});
