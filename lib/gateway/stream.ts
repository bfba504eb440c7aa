import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { type NormalizedUsage, type StreamEvent, UpstreamError } from "@/lib/providers/types";
import { countTextTokens, estimatePromptTokens } from "@/lib/tokens/count";
import { type CallContext, settleCall, toGatewayError } from "./context";

const encoder = new TextEncoder();
const sse = (data: unknown) => encoder.encode(`data: ${JSON.stringify(data)}\n\n`);
const DONE = encoder.encode("data: [DONE]\n\n");

/** What the client has been sent so far, to charge a cut stream for what it received. */
interface StreamState {
  usage: NormalizedUsage | null;
  finalUsage: boolean;
  emittedText: string;
  lastChunk: ChatCompletionChunk | null;
  settled: boolean;
}

/**
 * Streams a completion as OpenAI's SSE. The first chunk is awaited before answering, so that a
 * provider failing up front gets a plain error response with its status, not a broken stream.
 * The stream is pulled, so a slow client slows the upstream read instead of filling memory.
 */
export async function streamCompletion(
  ctx: CallContext,
  headers: Record<string, string>,
): Promise<Response> {
  const events = ctx.adapter
    .stream(ctx.request, {
      upstreamModel: ctx.model.upstreamModel,
      signal: ctx.upstream.signal,
      maxOutputTokens: ctx.model.maxOutputTokens,
    })
    [Symbol.asyncIterator]();
  const state: StreamState = {
    usage: null,
    finalUsage: false,
    emittedText: "",
    lastChunk: null,
    settled: false,
  };
  const includeUsage = ctx.request.stream_options?.include_usage === true;

  const first = await nextChunk(ctx, events, state);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first) controller.enqueue(sse(present(ctx, state, first, includeUsage)));
    },
    async pull(controller) {
      try {
        const chunk = first ? await nextChunk(ctx, events, state) : null;
        if (chunk) {
          controller.enqueue(sse(present(ctx, state, chunk, includeUsage)));
          return;
        }
        if (includeUsage) controller.enqueue(sse(usageChunk(ctx, state)));
        controller.enqueue(DONE);
        controller.close();
        finish(ctx, state, "ok");
      } catch (err) {
        if (ctx.client.aborted) return;
        const error = toGatewayError(err);
        ctx.log.warn({ err, status: error.status }, "upstream failed mid-stream");
        controller.enqueue(sse(error.toBody()));
        controller.enqueue(DONE);
        controller.close();
        finish(ctx, state, "incomplete");
      }
    },
    cancel() {
      ctx.upstream.abort();
      void events.return?.();
      finish(ctx, state, "client_disconnected");
    },
  });
  ctx.client.addEventListener("abort", () => finish(ctx, state, "client_disconnected"), {
    once: true,
  });

  return new Response(body, {
    headers: {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
    },
  });
}

/**
 * Pulls events until the next chunk, keeping the latest usage; null at the end of the stream. The
 * provider's `timeoutMs` bounds each wait, the first byte and every gap between chunks alike:
 * provider SDKs only time out until the response headers, so a stream stalled after them would
 * otherwise hang its client forever.
 */
async function nextChunk(
  ctx: CallContext,
  events: AsyncIterator<StreamEvent>,
  state: StreamState,
): Promise<ChatCompletionChunk | null> {
  const timeoutMs = ctx.runtime.config.providers.get(ctx.model.providerId)?.timeoutMs ?? 60_000;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ctx.upstream.abort();
        reject(
          new UpstreamError({
            status: 504,
            providerId: ctx.model.providerId,
            code: "upstream_timeout",
            message: `Upstream provider "${ctx.model.providerId}" sent nothing for ${timeoutMs} ms.`,
          }),
        );
      }, timeoutMs);
    });
    const next = await Promise.race([events.next(), stalled]).finally(() => clearTimeout(timer));
    if (next.done) return null;
    if (next.value.type === "chunk") return next.value.chunk;
    state.usage = next.value.usage;
    state.finalUsage = next.value.final;
  }
}

function present(
  ctx: CallContext,
  state: StreamState,
  chunk: ChatCompletionChunk,
  includeUsage: boolean,
): ChatCompletionChunk {
  for (const choice of chunk.choices) {
    if (choice.delta.content) state.emittedText += choice.delta.content;
    for (const call of choice.delta.tool_calls ?? []) {
      state.emittedText += (call.function?.name ?? "") + (call.function?.arguments ?? "");
    }
  }
  state.lastChunk = chunk;
  return includeUsage
    ? { ...chunk, model: ctx.model.id, usage: null }
    : { ...chunk, model: ctx.model.id };
}

/** The usage the call is charged for: the provider's when it reported the whole call, else counted. */
function chargedUsage(
  ctx: CallContext,
  state: StreamState,
): { usage: NormalizedUsage; estimated: boolean } {
  if (state.usage && state.finalUsage) return { usage: state.usage, estimated: false };
  const partial = state.usage;
  return {
    estimated: true,
    usage: {
      inputTokens: partial ? partial.inputTokens : estimatePromptTokens(ctx.request),
      cacheReadTokens: partial?.cacheReadTokens ?? 0,
      cacheWriteTokens: partial?.cacheWriteTokens ?? 0,
      outputTokens: Math.max(partial?.outputTokens ?? 0, countTextTokens(state.emittedText)),
    },
  };
}

function usageChunk(ctx: CallContext, state: StreamState): ChatCompletionChunk {
  const { usage } = chargedUsage(ctx, state);
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    id: state.lastChunk?.id ?? ctx.requestId,
    object: "chat.completion.chunk",
    created: state.lastChunk?.created ?? Math.floor(Date.now() / 1000),
    model: ctx.model.id,
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: usage.outputTokens,
      total_tokens: prompt + usage.outputTokens,
      prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
    },
  };
}

function finish(
  ctx: CallContext,
  state: StreamState,
  outcome: "ok" | "incomplete" | "client_disconnected",
): void {
  if (state.settled) return;
  state.settled = true;
  ctx.release();
  const { usage, estimated } = chargedUsage(ctx, state);
  settleCall(ctx, { usage, status: 200, outcome, estimated, streamed: true });
}
