import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { retryAfterMs } from "./retry-after";
import { UpstreamError } from "./types";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  if (typeof value === "string") return value;
  // Some OpenAI-compatible servers send numeric codes; keep them readable rather than drop them.
  if (typeof value === "number") return String(value);
  return null;
}

/**
 * The upstream's own message. The SDK keeps the body's `error` member as `err.error`: OpenAI and
 * Ollama's OpenAI endpoint send `{"error":{"message":…}}`, Ollama's native handlers (which some
 * of its compatibility routes fall through to) send `{"error":"…"}`. When neither shape is there,
 * `err.message` is the SDK's "<status> <body>" text, so the status prefix is dropped.
 */
function upstreamMessage(err: APIError): string {
  const body: unknown = err.error;
  if (typeof body === "string" && body !== "") return body;
  if (isRecord(body)) {
    if (typeof body.message === "string" && body.message !== "") return body.message;
    if (typeof body.error === "string" && body.error !== "") return body.error;
  }
  const prefix = err.status === undefined ? "" : `${err.status} `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/** True for an abort caused by the caller's signal, in any of the shapes fetch and the SDK use. */
export function isAbort(err: unknown): err is Error {
  return err instanceof APIUserAbortError || (err instanceof Error && err.name === "AbortError");
}

/**
 * Maps what the openai SDK throws to an UpstreamError naming the provider. Aborts are returned
 * unchanged: a client that went away is not a provider failure and must not trigger fallback.
 */
export function toUpstreamError(providerId: string, err: unknown): Error {
  if (isAbort(err) || err instanceof UpstreamError) return err;
  const name = `Upstream provider "${providerId}"`;
  // Timeout extends ConnectionError extends APIError, so test the narrowest class first.
  if (err instanceof APIConnectionTimeoutError) {
    return new UpstreamError({
      status: 504,
      providerId,
      message: `${name} timed out`,
      type: "api_error",
      code: "upstream_timeout",
    });
  }
  if (err instanceof APIConnectionError) {
    return new UpstreamError({
      status: 502,
      providerId,
      message: `${name} is unreachable: ${err.message}`,
      type: "api_error",
      code: "upstream_unreachable",
    });
  }
  if (err instanceof APIError) {
    const detail = upstreamMessage(err);
    // An error event inside a stream arrives after a 200, so the SDK has no status for it: the
    // upstream failed mid-answer, which for our client is a bad gateway.
    const status = err.status ?? 502;
    const message =
      err.status === undefined
        ? `${name} failed mid-stream: ${detail}`
        : `${name} returned ${err.status}: ${detail}`;
    return new UpstreamError({
      status,
      providerId,
      message,
      type: stringOrNull(err.type) ?? undefined,
      code: stringOrNull(err.code),
      param: stringOrNull(err.param),
      retryAfterMs: retryAfterMs(err.headers),
    });
  }
  // Anything else (a connection cut mid-body, a chunk that is not JSON) is still the upstream
  // failing, not the gateway: report it as such so fallback and accounting treat it alike.
  const detail = err instanceof Error ? err.message : String(err);
  return new UpstreamError({
    status: 502,
    providerId,
    message: `${name} failed: ${detail}`,
    type: "api_error",
    code: "upstream_error",
  });
}
