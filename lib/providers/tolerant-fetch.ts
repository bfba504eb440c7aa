import { Agent } from "undici";
import { logger } from "@/lib/log";

const encoder = new TextEncoder();

/**
 * The fetch the provider SDKs use. It bounds opening a connection by the provider's
 * `connectTimeoutMs`, and drops malformed events from server-sent event streams: the SDKs parse
 * every `data:` line as JSON and abort the whole stream on one bad line, while a gateway should
 * log it and go on. Events pass through unchanged otherwise; other responses are untouched.
 */
export function tolerantFetch(providerId: string, connectTimeoutMs?: number): typeof fetch {
  // Node's fetch is undici 6; an Agent of the same major sets how long opening a connection may
  // take, apart from the SDK's timeout for the whole first byte.
  const dispatcher = connectTimeoutMs
    ? new Agent({ connect: { timeout: connectTimeoutMs } })
    : undefined;
  return async (input, init) => {
    const response = await fetch(
      input,
      dispatcher ? ({ ...init, dispatcher } as RequestInit) : init,
    );
    const type = response.headers.get("content-type") ?? "";
    if (!response.body || !type.includes("text/event-stream")) return response;
    return new Response(response.body.pipeThrough(dropMalformedEvents(providerId)), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function dropMalformedEvents(providerId: string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let buffer = "";
  const emit = (event: string, controller: TransformStreamDefaultController<Uint8Array>) => {
    if (isWellFormed(event)) controller.enqueue(encoder.encode(`${event}\n\n`));
    else
      logger.warn(
        { provider: providerId, event: event.slice(0, 200) },
        "malformed stream event skipped",
      );
  };
  return new TransformStream({
    transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, "\n");
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        emit(buffer.slice(0, end), controller);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
      }
    },
    flush(controller) {
      buffer += decoder.decode();
      if (buffer.trim() !== "") emit(buffer.trimEnd(), controller);
    },
  });
}

/** An event whose data is JSON, `[DONE]`, or absent (comments, `event:` lines alone, pings). */
function isWellFormed(event: string): boolean {
  const data = event
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trimStart())
    .join("\n");
  if (data === "" || data === "[DONE]") return true;
  try {
    JSON.parse(data);
    return true;
  } catch {
    return false;
  }
}
