import { errorResponse, GatewayError } from "@/lib/errors";
import { newRequestId } from "@/lib/http/request-id";
import { isDraining, trackCall } from "@/lib/lifecycle";
import { type Logger, logger } from "@/lib/log";
import { getRuntime, type Runtime } from "@/lib/runtime";

export interface HandlerContext {
  requestId: string;
  log: Logger;
  runtime: Runtime;
}

type Params = Record<string, string | string[] | undefined>;

/**
 * Wraps a route handler: gives it a request id, the runtime and a logger, and turns anything it
 * throws into the API's error shape. Internal errors are logged whole and answered without detail.
 * While the instance drains for shutdown it answers 503 instead, and a request it does take is
 * counted in flight so that the shutdown waits for it.
 */
export function apiHandler<P extends Params = Params>(
  handle: (request: Request, ctx: HandlerContext, params: P) => Promise<Response>,
) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = newRequestId();
    const log = logger.child({ requestId });
    if (isDraining()) return shuttingDown(requestId);
    const release = trackCall();
    try {
      const runtime = await getRuntime();
      const response = await handle(request, { requestId, log, runtime }, await route.params);
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (err) {
      if (!(err instanceof GatewayError)) log.error({ err }, "unhandled error");
      else log.info({ status: err.status, code: err.code }, "request refused");
      return errorResponse(err, { "x-request-id": requestId });
    } finally {
      release();
    }
  };
}

/**
 * The answer to a request that arrives during the shutdown drain: 503 with `retry-after`, and
 * `connection: close` so that a client's next attempt opens a connection that a load balancer
 * sends to another instance.
 */
export function shuttingDown(requestId: string): Response {
  return errorResponse(
    new GatewayError(
      "shutting_down",
      "This Tollgate instance is shutting down. Retry the request; another instance will take it.",
    ),
    { "x-request-id": requestId, "retry-after": "1", connection: "close" },
  );
}
