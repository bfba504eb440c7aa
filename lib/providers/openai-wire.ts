import { StringDecoder } from "node:string_decoder";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { Agent, type Dispatcher, request } from "undici";
import { logger } from "@/lib/log";

/**
 * The OpenAI protocol over undici's `request`, for the gateway's hot path. The `openai` SDK does
 * the same job through fetch and three web streams (its own, plus the tolerant reader we needed
 * around it), which the benchmark measured at about a third of the gateway's CPU per streamed
 * call. Failures are raised as the SDK's own error classes, so `toUpstreamError` reads them the
 * same way whichever client made the call.
 */
export interface WireConfig {
  baseURL: string;
  apiKey: string;
  /** Longest wait for the response headers, then for each piece of the body. */
  timeoutMs: number;
  /** Longest wait to open the connection; unset: timeoutMs. */
  connectTimeoutMs?: number;
}

export interface Wire {
  /**
   * POSTs `body` as JSON to `path`; resolves with a 2xx response, throws the SDK's errors. A
   * stream's pauses are bounded by the gateway's idle timeout, not here.
   */
  post(
    path: string,
    body: unknown,
    signal: AbortSignal,
    stream: boolean,
  ): Promise<Dispatcher.ResponseData>;
}

export function openaiWire(config: WireConfig): Wire {
  // One pool per provider: its connections stay open between calls, and undici's own timers
  // bound each call without a timer or AbortSignal of ours per request.
  const dispatcher = new Agent({
    connect: { timeout: config.connectTimeoutMs ?? config.timeoutMs },
    headersTimeout: config.timeoutMs,
  });
  const base = config.baseURL.replace(/\/+$/, "");
  const headers = {
    authorization: `Bearer ${config.apiKey}`,
    "content-type": "application/json",
    accept: "application/json",
  };
  return {
    async post(path, body, signal, stream) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(`${base}${path}`, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
          signal,
          dispatcher,
          bodyTimeout: stream ? 0 : config.timeoutMs,
        });
      } catch (err) {
        throw wireFailure(err, signal);
      }
      if (response.statusCode >= 200 && response.statusCode < 300) return response;
      const text = await response.body.text().catch((err: unknown) => String(err));
      const json = parseJson(text);
      throw APIError.generate(
        response.statusCode,
        json ?? undefined,
        json ? undefined : text,
        toHeaders(response.headers),
      );
    },
  };
}

/** Reads a whole JSON response body; a body that is not JSON is the upstream failing. */
export async function readJson<T>(response: Dispatcher.ResponseData, signal: AbortSignal) {
  let text: string;
  try {
    text = await response.body.text();
  } catch (err) {
    throw bodyFailure(err, signal);
  }
  const json = parseJson(text);
  if (json === null)
    throw new Error(`answered 200 with a body that is not JSON: ${text.slice(0, 200)}`);
  return json as T;
}

/**
 * Yields the parsed `data` of the server-sent events until `[DONE]`, grouped by the network read
 * that completed them (one array per read, never empty): a burst of events then costs the gateway
 * one hop instead of one per event. An event whose data is not JSON is logged and skipped (the SDK
 * would abort the whole stream on it); an `{"error": …}` event throws, as the SDK does, with no
 * status: the provider failed after its 200.
 */
export async function* sseEvents(
  response: Dispatcher.ResponseData,
  signal: AbortSignal,
  providerId: string,
): AsyncGenerator<Record<string, unknown>[]> {
  const decoder = new StringDecoder("utf8");
  let buffer = "";
  let done = false;
  const headers = toHeaders(response.headers);
  try {
    for await (const piece of response.body) {
      buffer += decoder.write(piece as Buffer);
      if (buffer.includes("\r")) buffer = buffer.replace(/\r\n?/g, "\n");
      let end = buffer.indexOf("\n\n");
      const batch: Record<string, unknown>[] = [];
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf("\n\n");
        if (done) continue; // read on to the end, so the connection can serve the next call
        const data = dataOf(event);
        if (data === null) continue;
        if (data.startsWith("[DONE]")) {
          done = true;
          continue;
        }
        const json = parseJson(data);
        if (json === null) {
          logger.warn(
            { provider: providerId, event: event.slice(0, 200) },
            "malformed stream event skipped",
          );
          continue;
        }
        if (json.error) {
          // What came before the error in this read is delivered first, as it would have been alone.
          if (batch.length > 0) yield batch.splice(0);
          throw new APIError(undefined, json.error as object, undefined, headers);
        }
        batch.push(json);
      }
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    if (err instanceof APIError) throw err;
    throw bodyFailure(err, signal);
  } finally {
    // A consumer that stops early (or an error) must not leave the upstream request running.
    if (!response.body.destroyed) response.body.destroy();
  }
  if (signal.aborted) throw new APIUserAbortError();
}

/** The joined `data:` lines of one event; null when it has none (comments, pings). */
function dataOf(event: string): string | null {
  if (event.startsWith("data:") && !event.includes("\n")) return event.slice(5).trimStart();
  let data: string | null = null;
  for (const line of event.split("\n")) {
    if (!line.startsWith("data:")) continue;
    const value = line.slice(5).trimStart();
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

const TIMEOUTS = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * A failure while reading a body: the answer had started, so a cut connection is the upstream
 * failing mid-answer (toUpstreamError's generic case), not an unreachable provider.
 */
function bodyFailure(err: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return err instanceof APIUserAbortError ? err : new APIUserAbortError();
  const code = (err as { code?: string }).code;
  if (code && TIMEOUTS.has(code)) return new APIConnectionTimeoutError();
  return err instanceof Error ? err : new Error(String(err));
}

/** undici's failures as the SDK's: an abort when our signal fired, a timeout, or a connection. */
function wireFailure(err: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return err instanceof APIUserAbortError ? err : new APIUserAbortError();
  const code = (err as { code?: string }).code;
  if (code && TIMEOUTS.has(code)) return new APIConnectionTimeoutError();
  return new APIConnectionError({
    message: err instanceof Error ? err.message : String(err),
    cause: err instanceof Error ? err : undefined,
  });
}
