import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** Token counts a scripted answer reports; `cached` is part of `prompt`, as OpenAI counts it. */
export interface FakeUsage {
  prompt: number;
  completion: number;
  cached?: number;
}

/** Recorded traffic in test/fixtures/openai (vercel/ai, Apache-2.0): [non-stream, stream] files. */
const FIXTURES = {
  "openai-text": ["openai_chat_openai-text.json", "openai_chat_openai-text.chunks.txt"],
  "tool-call": [null, "openai-compatible_chat_anthropic-fallback-tool-call.sse"],
  "legacy-parameter-error": ["openai_chat_reasoning-model-legacy-parameter-error.json", null],
} as const;

/**
 * How the fake answers one request. Every behaviour takes `delayMs` (wait before the headers: for
 * timeouts) and `chunkDelayMs` (wait between SSE events: a slow stream, for disconnect tests);
 * with `stallAfter: n`, only the wait before the n-th event (a stream that stalls mid-answer).
 * `error` sends OpenAI's error body built from its fields, or `body` (a string goes out as is).
 * `streamError` streams `after` chunks of the echo answer, then an in-stream error event.
 * `events` streams the given objects as SSE events, then `[DONE]`: for shapes no other behaviour
 * makes (an item `{ raw: "…" }` goes out as its text, unparsed: a malformed line); a non-stream
 * request to it gets the echo. `replay` sends the recording that matches the
 * request's `stream`: "tool-call" exists only as a stream (a 400 otherwise), and
 * "legacy-parameter-error" is always its recorded 400.
 */
export type FakeBehaviour = { delayMs?: number; chunkDelayMs?: number; stallAfter?: number } & (
  | { kind: "text"; content?: string; usage?: FakeUsage; finishReason?: "stop" | "length" }
  | { kind: "toolCall"; name: string; arguments: string; id?: string; usage?: FakeUsage }
  | { kind: "replay"; fixture: keyof typeof FIXTURES }
  | { kind: "events"; events: unknown[] }
  | ({ kind: "error"; status: number; body?: unknown } & ErrorFields)
  | ({ kind: "streamError"; after?: number } & ErrorFields)
);

interface ErrorFields {
  message?: string;
  type?: string;
  code?: string | null;
  param?: string | null;
}

/** One request as the fake received it; `aborted` turns true if the client hung up mid-answer. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  aborted: boolean;
}

export interface FakeOpenAI {
  /** Base address without `/v1`, e.g. `http://127.0.0.1:40123`. */
  url: string;
  requests: RecordedRequest[];
  /** Queues behaviours for the next chat requests, first in first out. */
  script(...behaviours: FakeBehaviour[]): void;
  /** Replaces the behaviour used when the queue is empty (initially an echo of the user's text). */
  setDefault(behaviour: FakeBehaviour): void;
  /** Resolves once every response so far has ended or been cut by its client. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Answer {
  deltas: Json[];
  message: Json;
  finish: string;
  usage: FakeUsage;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isRecord = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const readFixture = (file: string) =>
  readFileSync(join(import.meta.dirname, "..", "fixtures", "openai", file), "utf8");
const errorBody = (f: ErrorFields, fallback: string) => ({
  error: {
    message: f.message ?? fallback,
    type: f.type ?? "invalid_request_error",
    param: f.param ?? null,
    code: f.code ?? null,
  },
});

function lastUserText(body: Json): string {
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const content = messages.filter((m) => m.role === "user").at(-1)?.content;
  if (typeof content === "string") return content;
  const parts = Array.isArray(content) ? content.filter(isRecord) : [];
  return parts.map((p) => (typeof p.text === "string" ? p.text : "")).join("");
}

/** The scripted answer as stream deltas plus the equivalent non-stream message. */
function answerFor(b: FakeBehaviour, body: Json, callId: string): Answer {
  if (b.kind === "toolCall") {
    const call = {
      id: b.id ?? callId,
      type: "function",
      function: { name: b.name, arguments: "" },
    };
    const half = Math.ceil(b.arguments.length / 2);
    const parts = [b.arguments.slice(0, half), b.arguments.slice(half)];
    return {
      deltas: [
        { tool_calls: [{ index: 0, ...call }] },
        ...parts.map((arguments_) => ({
          tool_calls: [{ index: 0, function: { arguments: arguments_ } }],
        })),
      ],
      message: {
        content: null,
        refusal: null,
        tool_calls: [{ ...call, function: { name: b.name, arguments: b.arguments } }],
      },
      finish: "tool_calls",
      usage: b.usage ?? { prompt: 10, completion: 12 },
    };
  }
  const text = b.kind === "text" ? b : undefined;
  const content = text?.content ?? `Echo: ${lastUserText(body)}`;
  // One word (with its trailing space) per chunk; the pieces concatenate back to `content`.
  const words = content.match(/\S+\s*|\s+/g) ?? [""];
  return {
    deltas: words.map((word) => ({ content: word })),
    message: { content, refusal: null, annotations: [] },
    finish: text?.finishReason ?? "stop",
    usage: text?.usage ?? { prompt: 10, completion: words.length },
  };
}

/** Starts a fake OpenAI-compatible server; `flavor: "ollama"` imitates Ollama's `/v1` layer. */
export async function startFakeOpenAI(
  opts: { flavor?: "openai" | "ollama"; streamUsage?: boolean } = {},
): Promise<FakeOpenAI> {
  const ollama = opts.flavor === "ollama";
  // `streamUsage: false` plays Ollama releases from before stream_options: never a usage chunk.
  const streamUsage = opts.streamUsage ?? true;
  const queue: FakeBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  const open = new Set<Promise<void>>();
  let fallback: FakeBehaviour = { kind: "text" };
  let counter = 0;

  function usageJson(u: FakeUsage): Json {
    const counts = {
      prompt_tokens: u.prompt,
      completion_tokens: u.completion,
      total_tokens: u.prompt + u.completion,
    };
    // Ollama reports only the three totals.
    if (ollama) return counts;
    return {
      ...counts,
      prompt_tokens_details: { cached_tokens: u.cached ?? 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
  }

  /** The SSE `data:` payloads of a generated answer, `n` choices advancing together. */
  function generatedEvents(
    b: FakeBehaviour,
    head: Json,
    n: number,
    a: Answer,
    includeUsage: boolean,
  ): string[] {
    const chunk = (delta: Json, finish: string | null) => {
      const choices = Array.from({ length: n }, (_, index) => ({
        index,
        delta,
        logprobs: null,
        finish_reason: finish,
      }));
      // OpenAI puts `usage: null` on every chunk once include_usage is on.
      return JSON.stringify({ ...head, choices, ...(includeUsage ? { usage: null } : {}) });
    };
    const first = { role: "assistant", content: b.kind === "toolCall" ? null : "" };
    const steps = [first, ...a.deltas].map((delta) => chunk(delta, null));
    if (b.kind === "streamError") {
      const cut = steps.slice(0, b.after ?? 2);
      return [
        ...cut,
        JSON.stringify(errorBody({ type: "server_error", ...b }, "Fake stream error")),
      ];
    }
    steps.push(chunk({}, a.finish));
    if (includeUsage)
      steps.push(JSON.stringify({ ...head, choices: [], usage: usageJson(a.usage) }));
    return [...steps, "[DONE]"];
  }

  /** The SSE `data:` payloads of a recording, in either of the fixture formats. */
  function replayEvents(file: string, includeUsage: boolean): string[] {
    const raw = readFixture(file);
    if (raw.startsWith("data: ")) {
      return raw
        .split("\n\n")
        .map((e) => e.trim())
        .filter((e) => e !== "")
        .map((e) => e.slice("data: ".length));
    }
    // The recording asked for include_usage; drop its usage chunk when this request did not.
    const lines = raw
      .split("\n")
      .filter((l) => l !== "" && (includeUsage || !l.includes('"choices":[]')));
    return [...lines, "[DONE]"];
  }

  async function respond(res: ServerResponse, body: Json, b: FakeBehaviour): Promise<void> {
    await sleep(b.delayMs ?? 0);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(typeof value === "string" ? value : JSON.stringify(value));
    };
    if (b.kind === "error")
      return json(b.status, "body" in b ? b.body : errorBody(b, `Fake error ${b.status}`));
    const stream = body.stream === true;
    const fixture = b.kind === "replay" ? FIXTURES[b.fixture] : undefined;
    if (fixture?.[1] === null) return json(400, readFixture(fixture[0]));
    if (fixture && !stream) {
      return fixture[0]
        ? json(200, readFixture(fixture[0]))
        : json(400, errorBody({}, "stream-only fixture"));
    }
    const includeUsage =
      streamUsage && isRecord(body.stream_options) && body.stream_options.include_usage === true;
    const model = typeof body.model === "string" ? body.model : "unknown";
    const head: Json = {
      id: `chatcmpl-fake${++counter}`,
      object: "chat.completion.chunk",
      created: 1770000000,
      model,
    };
    Object.assign(
      head,
      ollama
        ? { system_fingerprint: "fp_ollama" }
        : { service_tier: "default", system_fingerprint: "fp_fake" },
    );
    // Ollama always answers with one choice.
    const n = typeof body.n === "number" && !ollama ? body.n : 1;
    const answer = answerFor(b, body, `call_fake${counter}`);
    if (!stream) {
      const choices = Array.from({ length: n }, (_, index) => ({
        index,
        message: { role: "assistant", ...answer.message },
        logprobs: null,
        finish_reason: answer.finish,
      }));
      return json(200, {
        ...head,
        object: "chat.completion",
        choices,
        usage: usageJson(answer.usage),
      });
    }
    const events =
      b.kind === "events"
        ? [
            ...b.events.map((e) =>
              isRecord(e) && typeof e.raw === "string" ? e.raw : JSON.stringify(e),
            ),
            "[DONE]",
          ]
        : fixture?.[1]
          ? replayEvents(fixture[1], includeUsage)
          : generatedEvents(b, head, n, answer, includeUsage);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (const [i, event] of events.entries()) {
      // `stallAfter`: the first events arrive at once, then the stream goes quiet for chunkDelayMs.
      const quiet = b.stallAfter === undefined ? i > 0 : i === b.stallAfter;
      if (quiet) await sleep(b.chunkDelayMs ?? 0);
      if (res.destroyed) return;
      res.write(`data: ${event}\n\n`);
    }
    res.end();
  }

  const server = createServer((req, res) => {
    const path = req.url ?? "";
    const record: RecordedRequest = {
      method: req.method ?? "",
      path,
      headers: req.headers,
      body: undefined,
      aborted: false,
    };
    requests.push(record);
    // A response that closes before it finished writing was cut by the client.
    const closed = new Promise<void>((resolve) => {
      res.on("close", () => {
        record.aborted = !res.writableFinished;
        resolve();
      });
    });
    open.add(closed);
    const raw: Buffer[] = [];
    req.on("data", (part: Buffer) => raw.push(part));
    req.on("end", () => {
      const text = Buffer.concat(raw).toString("utf8");
      try {
        record.body = text === "" ? undefined : JSON.parse(text);
      } catch {
        record.body = text;
      }
      if (req.method === "GET" && path === "/v1/models") {
        const model = {
          id: "fake-model",
          object: "model",
          created: 1770000000,
          owned_by: ollama ? "library" : "system",
        };
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ object: "list", data: [model] }));
      }
      const behaviour: FakeBehaviour =
        req.method === "POST" && path === "/v1/chat/completions"
          ? (queue.shift() ?? fallback)
          : { kind: "error", status: 404, message: `No route ${req.method} ${path}` };
      const body = isRecord(record.body) ? record.body : {};
      respond(res, body, behaviour).catch((err: unknown) =>
        res.destroy(err instanceof Error ? err : undefined),
      );
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...behaviours) => queue.push(...behaviours),
    setDefault: (behaviour) => {
      fallback = behaviour;
    },
    settled: async () => {
      await Promise.all(open);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}
