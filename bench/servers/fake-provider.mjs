// A fast, deterministic OpenAI-compatible provider for the benchmark, run as its own process so its
// CPU is measured apart from the servers in front of it.
//
//   node bench/servers/fake-provider.mjs PORT
//
// The answer depends only on the request's `model` and `stream`:
// - any model, not streamed: one fixed chat.completion with usage;
// - streamed: a role chunk, eight content chunks, a finish chunk, a usage chunk (when
//   stream_options.include_usage asks), then [DONE];
// - `bench-slow`: the same stream with SLOW_GAP_MS between events after the first content, so a
//   server that buffers the stream instead of passing it on shows in the time to first token;
// - `bench-hold`: a content chunk every second for BENCH_HOLD_MS, for the open-streams test.
import { createServer } from "node:http";

const SLOW_GAP_MS = 20;
const HOLD_MS = Number(process.env.BENCH_HOLD_MS ?? 10_000);
const WORDS = ["The ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dogs."];
const USAGE = { prompt_tokens: 20, completion_tokens: WORDS.length, total_tokens: 28 };
const HEAD = {
  id: "chatcmpl-bench",
  object: "chat.completion.chunk",
  created: 1770000000,
  model: "bench",
  system_fingerprint: "fp_bench",
};

const COMPLETION = JSON.stringify({
  ...HEAD,
  object: "chat.completion",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: WORDS.join(""), refusal: null },
      logprobs: null,
      finish_reason: "stop",
    },
  ],
  usage: USAGE,
});

const event = (choices, extra = {}) =>
  `data: ${JSON.stringify({ ...HEAD, choices, ...extra })}\n\n`;
const delta = (d, finish = null) => [{ index: 0, delta: d, logprobs: null, finish_reason: finish }];
const ROLE = event(delta({ role: "assistant", content: "" }));
const CONTENT = WORDS.map((word) => event(delta({ content: word })));
const FINISH = event(delta({}, "stop"));
const USAGE_EVENT = event([], { usage: USAGE });
const DONE = "data: [DONE]\n\n";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes the stream; `gapMs` between events once the first content is out (0: all at once). */
async function stream(res, includeUsage, gapMs, count) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write(ROLE + CONTENT[0]);
  for (let i = 1; i < count; i++) {
    if (gapMs > 0) await sleep(gapMs);
    if (res.destroyed) return;
    res.write(CONTENT[i % CONTENT.length]);
  }
  if (gapMs > 0) await sleep(gapMs);
  if (res.destroyed) return;
  res.end(FINISH + (includeUsage ? USAGE_EVENT : "") + DONE);
}

function answer(res, body) {
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(COMPLETION);
    return;
  }
  const includeUsage = body.stream_options?.include_usage === true;
  if (body.model === "bench-slow") return stream(res, includeUsage, SLOW_GAP_MS, WORDS.length);
  if (body.model === "bench-hold") return stream(res, includeUsage, 1000, HOLD_MS / 1000);
  return stream(res, includeUsage, 0, WORDS.length);
}

const server = createServer((req, res) => {
  const parts = [];
  req.on("data", (part) => parts.push(part));
  req.on("end", () => {
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    let body = {};
    try {
      body = JSON.parse(Buffer.concat(parts).toString("utf8"));
    } catch {
      // an unreadable body gets the non-streamed answer
    }
    Promise.resolve(answer(res, body)).catch(() => res.destroy());
  });
});
// A long accept queue: thousands of held streams connect at once in the open-streams test.
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", 4096, () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
