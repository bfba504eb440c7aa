import { GatewayError } from "@/lib/errors";

/**
 * Reads a JSON request body of at most `maxBytes`. The limit is enforced while reading, so a large
 * body without a Content-Length is cut off early instead of being buffered whole.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new GatewayError(
      "request_too_large",
      `Request body is larger than the limit of ${maxBytes} bytes. Send a smaller request (fewer or shorter messages, smaller images).`,
    );
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) throw invalidJson("the body is empty");

  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(value);
  }
  const text = Buffer.concat(parts).toString("utf8");
  if (text.trim() === "") throw invalidJson("the body is empty");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalidJson((err as Error).message);
  }
}

function invalidJson(detail: string): GatewayError {
  return new GatewayError(
    "invalid_json",
    `We could not parse the JSON body of your request (${detail}). Send a JSON object with Content-Type: application/json.`,
  );
}
