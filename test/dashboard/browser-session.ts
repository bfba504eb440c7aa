/**
 * A signed-in dashboard user for route tests: signs up through /api/signup and in through
 * next-auth's credentials callback, keeping the cookies like a browser would.
 */
export interface DashboardUser {
  email: string;
  userId: string;
  tenantId: string;
  cookies: Map<string, string>;
  /** fetch with this user's cookies. */
  call(method: string, route: string, body?: unknown, extraCookies?: string): Promise<Response>;
}

function keep(jar: Map<string, string>, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
}

const header = (jar: Map<string, string>) =>
  [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

export async function signUpAndIn(baseUrl: string, email: string): Promise<DashboardUser> {
  const password = "a long enough password";
  const created = await fetch(`${baseUrl}/api/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, name: email.split("@")[0] }),
  });
  if (created.status !== 201) throw new Error(`sign-up failed: ${created.status}`);
  const { tenantId, userId } = (await created.json()) as { tenantId: string; userId: string };

  const jar = new Map<string, string>();
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signedIn = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(jar) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  keep(jar, signedIn);
  if (![...jar.keys()].some((k) => k.endsWith("session-token"))) {
    throw new Error(`sign-in failed: ${signedIn.status}`);
  }
  return {
    email,
    userId,
    tenantId,
    cookies: jar,
    call(method, route, body, extraCookies) {
      const cookie = [header(jar), extraCookies].filter(Boolean).join("; ");
      return fetch(`${baseUrl}${route}`, {
        method,
        redirect: "manual",
        headers: {
          cookie,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
  };
}
