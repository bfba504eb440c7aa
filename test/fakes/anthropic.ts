import { readFile } from "node:fs/promises";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { isAbsolute, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** Folder of the recorded Anthropic traffic that `fixture` behaviours replay. */
export const ANTHROPIC_FIXTURES = join(import.meta.dirname, "..", "fixtures", "anthropic");

/** One request the fake received, in arrival order. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /**
   * Settles when the exchange ends: "completed" once the answer was sent in full, "interrupted" when
   * the connection closed first (the client went away, or a `drop` behaviour).
   */
  outcome: Promise<"completed" | "interrupted">;
}

/** A stream event as Anthropic sends it; its `type` is also the SSE event name. */
export type FakeEvent = { type: string } & Record<string, unknown>;

/**
 * How the fake answers one request. Unscripted requests get `{ kind: "message" }`; requests the
 * fake refuses (bad key, missing version) do not use up a scripted behaviour.
 */
export type Behaviour =
  /** A message (JSON, or as a synthesised stream when the request streams). */
  | {
      kind: "message";
      content?: Array<Record<string, unknown>>;
      stopReason?: string;
      usage?: Record<string, number>;
      delayMs?: number;
    }
  /** Replays a recorded file: raw SSE, one event's JSON per line (`.chunks.txt`), or JSON (`.json`). */
  | { kind: "fixture"; file: string; delayMs?: number }
  /** Streams these events as SSE, each named after its `type`. */
  | { kind: "events"; events: FakeEvent[]; delayMs?: number }
  /** Answers with Anthropic's error body. */
  | { kind: "error"; status: number; type: string; message: string }
  /** Never answers (for timeouts and aborts). */
  | { kind: "hang" }
  /** Destroys the connection without answering. */
  | { kind: "drop" };

/** A running fake of Anthropic's `POST /v1/messages`; pass `url` to the SDK as `baseURL`. */
export interface FakeAnthropic {
  url: string;
  requests: RecordedRequest[];
  /** Queues behaviours for the next requests, in order. */
  script(...next: Behaviour[]): void;
  close(): Promise<void>;
}

const DEFAULT_CONTENT = [{ type: "text", text: "Hello from the fake Anthropic." }];
const DEFAULT_USAGE = { input_tokens: 12, output_tokens: 7 };

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  const body = { type: "error", error: { type, message }, request_id: "req_fake" };
  res.writeHead(status, { "content-type": "application/json", "request-id": "req_fake" });
  res.end(JSON.stringify(body));
}

function sseEvent(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The events Anthropic streams for `message`: one delta per block, so tests stay predictable. */
function messageEvents(message: Record<string, unknown>): string[] {
  const content = (message.content ?? []) as FakeEvent[];
  const usage = (message.usage ?? {}) as Record<string, number>;
  const start = {
    ...message,
    content: [],
    stop_reason: null,
    usage: { ...usage, output_tokens: 1 },
  };
  const events: FakeEvent[] = [{ type: "message_start", message: start }];
  content.forEach((block, index) => {
    const open = (contentBlock: unknown, delta?: unknown) => {
      events.push({ type: "content_block_start", index, content_block: contentBlock });
      if (delta) events.push({ type: "content_block_delta", index, delta });
      events.push({ type: "content_block_stop", index });
    };
    if (block.type === "text") {
      open({ type: "text", text: "" }, { type: "text_delta", text: block.text });
    } else if (block.type === "tool_use") {
      const partial = JSON.stringify(block.input);
      open({ ...block, input: {} }, { type: "input_json_delta", partial_json: partial });
    } else {
      open(block);
    }
  });
  const delta = { stop_reason: message.stop_reason, stop_sequence: null };
  events.push({ type: "message_delta", delta, usage: { output_tokens: usage.output_tokens ?? 0 } });
  events.push({ type: "message_stop" });
  return events.map(sseEvent);
}

/** Splits a recorded stream into SSE events, keeping raw SSE byte for byte. */
function fixtureEvents(text: string, file: string): string[] {
  if (file.endsWith(".chunks.txt")) {
    // vercel-ai recordings hold one event's JSON per line without `event:` lines.
    return text
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => {
        const { type } = JSON.parse(line) as { type: string };
        return `event: ${type}\ndata: ${line}\n\n`;
      });
  }
  return text
    .split("\n\n")
    .filter((event) => event.trim() !== "")
    .map((event) => `${event}\n\n`);
}

async function streamEvents(res: ServerResponse, events: string[], delayMs = 0): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const [i, event] of events.entries()) {
    if (i > 0 && delayMs > 0) await sleep(delayMs);
    if (res.destroyed) return;
    res.write(event);
  }
  res.end();
}

async function answer(res: ServerResponse, body: Record<string, unknown>, behaviour: Behaviour) {
  const streaming = body.stream === true;
  switch (behaviour.kind) {
    case "message": {
      const message = {
        id: `msg_fake_${Math.random().toString(36).slice(2, 10)}`,
        type: "message",
        role: "assistant",
        model: body.model,
        content: behaviour.content ?? DEFAULT_CONTENT,
        stop_reason: behaviour.stopReason ?? "end_turn",
        stop_sequence: null,
        usage: { ...DEFAULT_USAGE, ...behaviour.usage },
      };
      if (streaming) return streamEvents(res, messageEvents(message), behaviour.delayMs);
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify(message));
    }
    case "fixture": {
      const path = isAbsolute(behaviour.file)
        ? behaviour.file
        : join(ANTHROPIC_FIXTURES, behaviour.file);
      const text = await readFile(path, "utf8");
      if (path.endsWith(".json")) {
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(text);
      }
      return streamEvents(res, fixtureEvents(text, path), behaviour.delayMs);
    }
    case "events":
      return streamEvents(res, behaviour.events.map(sseEvent), behaviour.delayMs);
    case "error":
      return sendError(res, behaviour.status, behaviour.type, behaviour.message);
    case "hang":
      return;
    case "drop":
      return void res.socket?.destroy();
  }
}

/** Why the real API would refuse this request, as [status, error type, message]. */
function rejection(
  req: IncomingMessage,
  body: unknown,
  expectedKey: string | undefined,
): [number, string, string] | undefined {
  if (req.method !== "POST" || req.url !== "/v1/messages") {
    return [404, "not_found_error", `Not found: ${req.method} ${req.url}`];
  }
  // SDK 1.x sends the key as `Authorization: Bearer`; the API still takes `x-api-key` too.
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  const apiKey = req.headers["x-api-key"] ?? bearer;
  if (!apiKey) return [401, "authentication_error", "x-api-key or Authorization is required"];
  if (expectedKey !== undefined && apiKey !== expectedKey) {
    return [401, "authentication_error", "invalid x-api-key"];
  }
  const version = req.headers["anthropic-version"];
  if (typeof version !== "string") {
    return [400, "invalid_request_error", "anthropic-version: header is required"];
  }
  if (typeof body !== "object" || body === null) {
    return [400, "invalid_request_error", "The request body is not valid JSON."];
  }
  // API version 2026-10-21 removed the sampling parameters.
  const sampling = ["temperature", "top_p", "top_k"].find((field) => field in body);
  if (sampling && version >= "2026-10-21") {
    return [400, "invalid_request_error", `${sampling}: Extra inputs are not permitted`];
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts a fake Anthropic Messages API on 127.0.0.1 and a random port. It checks the API key
 * (`x-api-key` or `Authorization: Bearer`, equal to `apiKey` when given) and the
 * `anthropic-version` header, records every request, and rejects sampling parameters the way API
 * version 2026-10-21 does.
 */
export async function startFakeAnthropic(
  options: { apiKey?: string } = {},
): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const queue: Behaviour[] = [];

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {}
    const outcome = new Promise<"completed" | "interrupted">((resolve) => {
      res.on("close", () => resolve(res.writableFinished ? "completed" : "interrupted"));
    });
    const path = req.url ?? "/";
    requests.push({ method: req.method ?? "", path, headers: req.headers, body, outcome });

    const refusal = rejection(req, body, options.apiKey);
    if (refusal) return sendError(res, ...refusal);
    try {
      await answer(res, body as Record<string, unknown>, queue.shift() ?? { kind: "message" });
    } catch (error) {
      // A broken script (say, a missing fixture) must fail the test, not crash the process.
      const message = error instanceof Error ? error.message : String(error);
      if (res.headersSent) res.destroy();
      else sendError(res, 500, "api_error", `Fake Anthropic failed: ${message}`);
    }
  });

  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...next) => void queue.push(...next),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
