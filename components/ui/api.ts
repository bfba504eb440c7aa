/** The result of a dashboard API call: the JSON answer, or the error message to show. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: string; status: number };

/**
 * Calls a dashboard route from the browser. Errors come back in the API's one shape; their message
 * is written for people, so it is shown as is. A network failure gets a message too.
 */
export async function callApi<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (res.ok) return { ok: true, data: json as T };
    const message =
      (json as { error?: { message?: string } } | null)?.error?.message ??
      `The server answered ${res.status}. Try again.`;
    return { ok: false, error: message, status: res.status };
  } catch {
    return {
      ok: false,
      error: "Could not reach Tollgate. Check your connection and retry.",
      status: 0,
    };
  }
}
