import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from "@anthropic-ai/sdk";
import { retryAfterMs } from "../retry-after";
import { UnsupportedFeatureError, UpstreamError } from "../types";

/** What error translation needs to know about the call that failed. */
export interface ErrorContext {
  providerId: string;
  timeoutMs: number;
  signal: AbortSignal;
}

// Anthropic's error types, for errors that arrive as an `error` event inside a stream and so have
// no HTTP status of their own.
const STATUS_BY_ANTHROPIC_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 503,
};

function openAIErrorType(status: number): string {
  if (status === 401 || status === 403) return "authentication_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

/** The error thrown when the caller's signal ended the call, whatever the SDK turned it into. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === "AbortError") return reason;
  return new DOMException("The operation was aborted.", "AbortError");
}

function fromApiError(error: APIError, providerId: string): UpstreamError {
  const detail = error.apiMessage ?? error.message;
  if (error.status === undefined) {
    // An `error` event inside an SSE stream: the HTTP status was already 200.
    const anthropicType = error.type ?? "api_error";
    const status = STATUS_BY_ANTHROPIC_TYPE[anthropicType] ?? 502;
    return new UpstreamError({
      status,
      providerId,
      type: openAIErrorType(status),
      code: error.errorCode,
      message: `Upstream provider "${providerId}" reported ${anthropicType} mid-stream: ${detail}`,
    });
  }
  // 529 is Anthropic's own "overloaded" status; clients and proxies only know 503 for it.
  const status = error.status === 529 ? 503 : error.status;
  return new UpstreamError({
    status,
    providerId,
    type: openAIErrorType(status),
    code: error.errorCode,
    message: `Upstream provider "${providerId}" returned ${error.status}: ${detail}`,
    retryAfterMs: retryAfterMs(error.headers),
  });
}

/** Translates anything the SDK or the translation threw into the gateway's error contract. */
export function toGatewayError(error: unknown, context: ErrorContext): unknown {
  const { providerId, signal } = context;
  // Once the caller aborted, every failure that follows is a consequence of the abort.
  if (signal.aborted || error instanceof APIUserAbortError) return abortError(signal);
  if (error instanceof UpstreamError || error instanceof UnsupportedFeatureError) return error;
  // The timeout subclass must be checked before the connection error it extends.
  if (error instanceof APIConnectionTimeoutError) {
    return new UpstreamError({
      status: 504,
      providerId,
      code: "upstream_timeout",
      message: `Upstream provider "${providerId}" did not answer within ${context.timeoutMs} ms`,
    });
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return new UpstreamError({
      status: 502,
      providerId,
      code: "upstream_unreachable",
      message: `Upstream provider "${providerId}" is unreachable${cause}`,
    });
  }
  if (error instanceof APIError) return fromApiError(error, providerId);
  // Anything else (the connection dropping mid-body, a body that is not JSON) is a failure of the
  // upstream exchange, not of the client's request.
  const detail = error instanceof Error ? error.message : String(error);
  return new UpstreamError({
    status: 502,
    providerId,
    code: "upstream_unreachable",
    message: `Upstream provider "${providerId}" failed: ${detail}`,
  });
}
