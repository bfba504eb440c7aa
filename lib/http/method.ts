import { errorResponse, GatewayError } from "@/lib/errors";

/**
 * A handler for the HTTP methods a route does not serve: Next.js would answer them with an empty
 * 405, so they get the API's error shape and an Allow header instead.
 */
export function methodNotAllowed(...allowed: string[]) {
  return (request: Request) =>
    errorResponse(
      new GatewayError(
        "method_not_allowed",
        `${request.method} is not supported on ${new URL(request.url).pathname}. Use ${allowed.join(" or ")}.`,
      ),
      { allow: allowed.join(", ") },
    );
}
