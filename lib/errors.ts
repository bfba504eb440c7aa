import { brand, isBranded } from "@/lib/brand";

/**
 * The one error type of the gateway. Every failure that reaches a client leaves as OpenAI's shape
 * `{ error: { message, type, param, code } }`; the code picks the HTTP status and the type from
 * the table below, so a route never decides a status on its own.
 */
export type ErrorCode =
  | "invalid_json"
  | "invalid_request"
  | "unsupported_parameter"
  | "request_too_large"
  | "invalid_api_key"
  | "invalid_admin_token"
  | "not_signed_in"
  | "forbidden"
  | "conflict"
  | "admin_api_disabled"
  | "model_not_found"
  | "model_not_allowed"
  | "not_found"
  | "method_not_allowed"
  | "invalid_metrics_token"
  | "metrics_disabled"
  | "shutting_down"
  | "upstream_error"
  | "upstream_unreachable"
  | "upstream_timeout"
  | "store_unavailable"
  | "rate_limit_exceeded"
  | "budget_exceeded"
  | "context_length_exceeded"
  | "internal_error";

const TABLE: Record<ErrorCode, { status: number; type: string }> = {
  invalid_json: { status: 400, type: "invalid_request_error" },
  invalid_request: { status: 400, type: "invalid_request_error" },
  unsupported_parameter: { status: 400, type: "invalid_request_error" },
  request_too_large: { status: 413, type: "invalid_request_error" },
  invalid_api_key: { status: 401, type: "invalid_request_error" },
  invalid_admin_token: { status: 401, type: "invalid_request_error" },
  not_signed_in: { status: 401, type: "invalid_request_error" },
  forbidden: { status: 403, type: "permission_error" },
  conflict: { status: 409, type: "invalid_request_error" },
  admin_api_disabled: { status: 403, type: "permission_error" },
  model_not_found: { status: 404, type: "invalid_request_error" },
  model_not_allowed: { status: 403, type: "permission_error" },
  not_found: { status: 404, type: "invalid_request_error" },
  method_not_allowed: { status: 405, type: "invalid_request_error" },
  invalid_metrics_token: { status: 401, type: "invalid_request_error" },
  metrics_disabled: { status: 403, type: "permission_error" },
  shutting_down: { status: 503, type: "api_error" },
  upstream_error: { status: 502, type: "api_error" },
  upstream_unreachable: { status: 502, type: "api_error" },
  upstream_timeout: { status: 504, type: "api_error" },
  store_unavailable: { status: 503, type: "api_error" },
  rate_limit_exceeded: { status: 429, type: "rate_limit_error" },
  budget_exceeded: { status: 402, type: "insufficient_quota" },
  context_length_exceeded: { status: 400, type: "invalid_request_error" },
  internal_error: { status: 500, type: "api_error" },
};

const GATEWAY_ERROR = brand("GatewayError");

export class GatewayError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, GATEWAY_ERROR);
  }

  readonly [GATEWAY_ERROR] = true;
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly status: number;
  readonly type: string;
  /** What the provider called its error code, passed on to the client when present. */
  readonly upstreamCode: string | null;
  /** Extra response headers, e.g. retry-after on a 429. */
  headers: Record<string, string> = {};

  constructor(
    code: ErrorCode,
    message: string,
    init: {
      param?: string | null;
      status?: number;
      type?: string;
      upstreamCode?: string | null;
    } = {},
  ) {
    super(message);
    this.name = "GatewayError";
    this.code = code;
    this.param = init.param ?? null;
    this.status = init.status ?? TABLE[code].status;
    this.type = init.type ?? TABLE[code].type;
    this.upstreamCode = init.upstreamCode ?? null;
  }

  toBody() {
    return {
      error: {
        message: this.message,
        type: this.type,
        param: this.param,
        code: this.upstreamCode ?? this.code,
      },
    };
  }
}

/** Builds the JSON response for an error; anything that is not a GatewayError becomes a bare 500. */
export function errorResponse(err: unknown, headers: Record<string, string> = {}): Response {
  const gatewayError =
    err instanceof GatewayError
      ? err
      : new GatewayError(
          "internal_error",
          "The gateway failed to handle this request. Retry it; if it keeps failing, report the x-request-id header to the operator.",
        );
  return Response.json(gatewayError.toBody(), {
    status: gatewayError.status,
    headers: { ...gatewayError.headers, ...headers },
  });
}
