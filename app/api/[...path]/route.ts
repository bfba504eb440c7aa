import { errorResponse, GatewayError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Unknown API paths answer in the API's error shape rather than with the HTML 404 page. */
const notFound = (request: Request) =>
  errorResponse(
    new GatewayError(
      "not_found",
      `No API route at ${request.method} ${new URL(request.url).pathname}. See the README for the endpoints.`,
    ),
  );

export {
  notFound as DELETE,
  notFound as GET,
  notFound as PATCH,
  notFound as POST,
  notFound as PUT,
};
