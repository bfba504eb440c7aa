import { errorResponse, GatewayError } from "@/lib/errors";
import { newRequestId } from "@/lib/http/request-id";
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
 */
export function apiHandler<P extends Params = Params>(
  handle: (request: Request, ctx: HandlerContext, params: P) => Promise<Response>,
) {
  return async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = newRequestId();
    const log = logger.child({ requestId });
    try {
      const runtime = await getRuntime();
      const response = await handle(request, { requestId, log, runtime }, await route.params);
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (err) {
      if (!(err instanceof GatewayError)) log.error({ err }, "unhandled error");
      else log.info({ status: err.status, code: err.code }, "request refused");
      return errorResponse(err, { "x-request-id": requestId });
    }
  };
}
