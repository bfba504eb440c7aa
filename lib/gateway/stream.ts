import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { startUpstreamSpan, type UpstreamSpan } from "@/lib/observability/upstream";
import type { NormalizedUsage } from "@/lib/providers/types";
import { countTextTokens, estimatePromptTokens } from "@/lib/tokens/count";
import {
  type Attempt,
  type CallContext,
  settleCall,
  toGatewayError,
  upstreamCall,
} from "./context";
import { batchesOf, nextChunks, type UpstreamReading, Watchdog } from "./stream-reader";

const encoder = new TextEncoder();
const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
const DONE = "data: [DONE]\n\n";

/** A provider stream that has produced its first real content: the gateway is committed to it. */
export interface OpenedStream extends UpstreamReading {
  /** Chunks received before and with the first content, sent first. */
  buffered: ChatCompletionChunk[];
  /** True when the provider ended the stream before any content. */
  ended: boolean;
  /** The provider call's trace span, ended when the stream settles. */
  span: UpstreamSpan;
}

/** Content the client would see: text, a refusal, a tool call or a finish reason. */
function hasContent(chunk: ChatCompletionChunk): boolean {
  return chunk.choices.some(
    (c) =>
      Boolean(c.delta.content) ||
      Boolean(c.delta.refusal) ||
      (c.delta.tool_calls?.length ?? 0) > 0 ||
      c.finish_reason !== null,
  );
}

/**
 * Opens an attempt's stream and reads it up to its first real content. Whatever fails before that
 * (an error status, a timeout, an error event) throws, and the fallback loop tries the next model
 * without the client ever seeing this one. The role-only opening chunk is not content.
 */
export async function openStream(ctx: CallContext, attempt: Attempt): Promise<OpenedStream> {
  const batches = batchesOf(attempt.adapter, attempt.request, {
    upstreamModel: attempt.model.upstreamModel,
    signal: attempt.upstream.signal,
    maxOutputTokens: attempt.model.maxOutputTokens,
  });
  const span = startUpstreamSpan(upstreamCall(ctx, attempt, true));
  const opened: OpenedStream = {
    batches,
    buffered: [],
    ended: false,
    usage: null,
    finalUsage: false,
    span,
  };
  const provider = ctx.runtime.config.providers.get(attempt.model.providerId);
  const watchdog = new Watchdog(attempt, provider?.timeoutMs ?? 60_000);
  try {
    for (;;) {
      const chunks = await nextChunks(opened, watchdog);
      if (!chunks) {
        opened.ended = true;
        return opened;
      }
      opened.buffered.push(...chunks);
      if (chunks.some(hasContent)) {
        span.firstChunk();
        return opened;
      }
    }
  } catch (err) {
    void batches.return?.().catch(() => {});
    const failure = err as { status?: number; code?: string | null };
    span.end({
      outcome: "error",
      status: failure.status ?? 0,
      errorType: failure.code ?? undefined,
    });
    throw err;
  } finally {
    watchdog.stop();
  }
}

/**
 * Answers with OpenAI's SSE from a committed stream. It is pulled, so a slow client slows the
 * upstream read instead of filling memory. After the commit a provider failure ends the stream
 * with an error event and `[DONE]`, charged for what was sent; a client that goes away aborts
 * the provider call and is charged for what it received.
 */
export function streamResponse(
  ctx: CallContext,
  attempt: Attempt,
  opened: OpenedStream,
  headers: Record<string, string>,
): Response {
  const includeUsage = ctx.request.stream_options?.include_usage === true;
  const provider = ctx.runtime.config.providers.get(attempt.model.providerId);
  const watchdog = new Watchdog(
    attempt,
    provider?.streamIdleTimeoutMs ?? provider?.timeoutMs ?? 60_000,
  );
  let emitted = "";
  let last: ChatCompletionChunk | null = null;
  let settled = false;
  let firstTokenMs: number | undefined;

  const present = (chunk: ChatCompletionChunk): string => {
    for (const choice of chunk.choices) {
      emitted += choice.delta.content ?? "";
      for (const call of choice.delta.tool_calls ?? [])
        emitted += (call.function?.name ?? "") + (call.function?.arguments ?? "");
    }
    firstTokenMs ??= Math.round(performance.now() - ctx.startedAt);
    last = chunk;
    // The chunk is the gateway's own (parsed from the provider's bytes), so it is rewritten in place.
    chunk.model = attempt.model.id;
    if (includeUsage) chunk.usage = null;
    return sse(chunk);
  };
  // One write per group the provider sent together.
  const presentAll = (chunks: ChatCompletionChunk[]) =>
    encoder.encode(chunks.map(present).join(""));
  const charged = (): { usage: NormalizedUsage; estimated: boolean } => {
    if (opened.usage && opened.finalUsage) return { usage: opened.usage, estimated: false };
    const partial = opened.usage;
    return {
      estimated: true,
      usage: {
        inputTokens: partial ? partial.inputTokens : estimatePromptTokens(ctx.request),
        cacheReadTokens: partial?.cacheReadTokens ?? 0,
        cacheWriteTokens: partial?.cacheWriteTokens ?? 0,
        outputTokens: Math.max(partial?.outputTokens ?? 0, countTextTokens(emitted)),
      },
    };
  };
  const finish = (outcome: "ok" | "incomplete" | "client_disconnected") => {
    if (settled) return;
    settled = true;
    watchdog.stop();
    const bill = charged();
    const u = bill.usage;
    opened.span.end({
      outcome,
      status: 200,
      inputTokens: u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens,
      outputTokens: u.outputTokens,
    });
    settleCall(ctx, attempt, { ...bill, status: 200, outcome, streamed: true, firstTokenMs });
    ctx.release();
  };
  const usageChunk = (): ChatCompletionChunk => {
    const { usage } = charged();
    const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    const tail = last as ChatCompletionChunk | null;
    return {
      id: tail?.id ?? ctx.requestId,
      object: "chat.completion.chunk",
      created: tail?.created ?? Math.floor(Date.now() / 1000),
      model: attempt.model.id,
      choices: [],
      usage: {
        prompt_tokens: prompt,
        completion_tokens: usage.outputTokens,
        total_tokens: prompt + usage.outputTokens,
        prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
      },
    };
  };
  const end = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    outcome: "ok" | "incomplete",
  ) => {
    controller.enqueue(encoder.encode(includeUsage ? sse(usageChunk()) + DONE : DONE));
    controller.close();
    finish(outcome);
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (opened.buffered.length > 0) controller.enqueue(presentAll(opened.buffered));
      if (opened.ended) end(controller, "ok");
    },
    async pull(controller) {
      if (settled) return;
      try {
        const chunks = await nextChunks(opened, watchdog);
        if (chunks) controller.enqueue(presentAll(chunks));
        else end(controller, "ok");
      } catch (err) {
        if (ctx.client.aborted) return;
        const error = toGatewayError(err);
        ctx.log.warn({ err, status: error.status }, "upstream failed mid-stream");
        controller.enqueue(encoder.encode(sse(error.toBody()) + DONE));
        controller.close();
        finish("incomplete");
      }
    },
    cancel() {
      attempt.upstream.abort();
      void opened.batches.return?.();
      finish("client_disconnected");
    },
  });
  ctx.client.addEventListener("abort", () => finish("client_disconnected"), { once: true });

  return new Response(body, {
    headers: {
      ...headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
    },
  });
}
