import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gatewayConfig } from "../helpers/configs";
import { startTollgate, type Tollgate } from "../helpers/tollgate";

let t: Tollgate;
const PASSWORD = "a long enough password";

before(async () => {
  t = await startTollgate({
    ...gatewayConfig({ openai: "http://127.0.0.1:9" }),
    auth: { signUpsPerHour: 2, signInAttemptsPer15Minutes: 3 },
  });
});
after(() => t.stop());

const signUp = (email: string, address: string) =>
  fetch(`${t.url}/api/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": address },
    body: JSON.stringify({ email, password: PASSWORD }),
  });

/** Signs in through next-auth's credentials callback; answers the error it reports, or null. */
async function signIn(email: string, password: string): Promise<string | null> {
  const csrf = await fetch(`${t.url}/api/auth/csrf`);
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${t.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const signedIn = res.headers.getSetCookie().some((c) => /session-token=[^;]/.test(c));
  if (signedIn) return null;
  const location = res.headers.get("location") ?? ((await res.json()) as { url: string }).url;
  return new URL(location, t.url).searchParams.get("error") ?? `no error in ${location}`;
}

test("sign-ups are limited per client address, with retry-after", async () => {
  assert.equal((await signUp("a1@example.com", "203.0.113.7")).status, 201);
  assert.equal((await signUp("a2@example.com", "203.0.113.7")).status, 201);
  const refused = await signUp("a3@example.com", "203.0.113.7");
  assert.equal(refused.status, 429);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "rate_limit_exceeded");
  assert.match(
    body.error.message,
    /^Too many sign-ups from this address\. Try again in \d+ minutes?\.$/,
  );
  const retryAfter = Number(refused.headers.get("retry-after"));
  assert.ok(retryAfter > 0 && retryAfter <= 3600, `retry-after ${retryAfter}`);
  // Another address is counted apart, and the refused account was never created.
  assert.equal((await signUp("a3@example.com", "198.51.100.1")).status, 201);
});

test("sign-in attempts are limited per email, even with the right password after", async () => {
  assert.equal((await signUp("b@example.com", "192.0.2.1")).status, 201);
  assert.equal((await signUp("c@example.com", "192.0.2.1")).status, 201);
  assert.equal(await signIn("b@example.com", PASSWORD), null);
  assert.equal(await signIn("b@example.com", "wrong password 1"), "CredentialsSignin");
  assert.equal(await signIn("b@example.com", "wrong password 2"), "CredentialsSignin");
  assert.equal(await signIn("b@example.com", PASSWORD), "TooManySignInAttempts");
  // Another account is untouched.
  assert.equal(await signIn("c@example.com", PASSWORD), null);
});
