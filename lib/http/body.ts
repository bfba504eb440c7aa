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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidJson((err as Error).message);
  }
  if (nestedDeeperThan(value, MAX_DEPTH)) {
    throw invalidJson(`it nests more than ${MAX_DEPTH} levels deep`);
  }
  return value;
}

/**
 * No real request nests this deep; a body that does would overflow the stack of whatever walks
 * it later (the provider SDK serialising it), which must not pass for a provider failure.
 */
const MAX_DEPTH = 64;

function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (typeof node !== "object" || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

function invalidJson(detail: string): GatewayError {
  return new GatewayError(
    "invalid_json",
    `We could not parse the JSON body of your request (${detail}). Send a JSON object with Content-Type: application/json.`,
  );
}
