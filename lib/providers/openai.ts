import OpenAI, { APIUserAbortError } from "openai";
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import { tolerantFetch } from "./tolerant-fetch";
import {
  type CallOptions,
  type ChatRequest,
  type NormalizedUsage,
  type ProviderAdapter,
  type StreamEvent,
  UnsupportedFeatureError,
} from "./types";
import { toUpstreamError } from "./upstream-errors";

/** Which server speaks the OpenAI protocol: OpenAI itself, or Ollama's compatibility layer. */
export type OpenAIFlavor = "openai" | "ollama";

export interface OpenAIAdapterConfig {
  id: string;
  baseURL: string;
  apiKey: string | undefined;
  timeoutMs: number;
  /** Longest wait to open the connection; unset: bounded by timeoutMs only. */
  connectTimeoutMs?: number;
  flavor?: OpenAIFlavor;
}

/** The request minus what each call decides itself (model, streaming and its options). */
type RequestBody = Omit<ChatCompletionCreateParamsBase, "model" | "stream" | "stream_options">;

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** OpenAI counts cached tokens inside `prompt_tokens`; NormalizedUsage keeps them apart. */
export function normalizeOpenAIUsage(usage: CompletionUsage): NormalizedUsage {
  // Compatible servers (Ollama among them) may omit fields the types promise, so read defensively.
  const prompt = count(usage.prompt_tokens);
  const cached = Math.min(prompt, count(usage.prompt_tokens_details?.cached_tokens));
  return {
    inputTokens: prompt - cached,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: count(usage.completion_tokens),
  };
}

const NO_USAGE: NormalizedUsage = {
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
};

/**
 * Everything the client sent goes upstream untouched, except for Ollama, whose OpenAI layer
 * (documented in ollama/docs/openai.md, from memory: no network access while writing this):
 * - reads only `max_tokens`; older releases ignore `max_completion_tokens`, so the limit would be
 *   silently lost: send it as `max_tokens`, which OpenAI deprecated but Ollama understands;
 * - always answers with a single choice: `n` > 1 is refused here rather than under-delivered.
 */
function requestBody(request: ChatRequest, flavor: OpenAIFlavor): RequestBody {
  const { model: _model, stream: _stream, stream_options: _streamOptions, ...body } = request;
  if (flavor !== "ollama") return body;
  if (typeof body.n === "number" && body.n > 1) {
    throw new UnsupportedFeatureError("Ollama does not support n greater than 1.", "n");
  }
  const { max_completion_tokens: limit, ...rest } = body;
  return limit == null ? rest : { ...rest, max_tokens: limit };
}

/** The error to throw for `err`: an abort when our signal fired, else an UpstreamError. */
function failure(providerId: string, err: unknown, signal: AbortSignal): Error {
  // Once the signal fired, whatever broke (fetch, body read, SSE parser) broke because of it.
  if (signal.aborted) return err instanceof APIUserAbortError ? err : new APIUserAbortError();
  return toUpstreamError(providerId, err);
}

/**
 * Splits an upstream chunk into what the gateway sees: the chunk without `usage` (unless it is the
 * usage-only chunk that `include_usage` appends), then a usage event when usage was reported.
 */
function* toEvents(chunk: ChatCompletionChunk): Generator<StreamEvent> {
  const { usage, ...rest } = chunk;
  if (!usage || chunk.choices.length > 0) yield { type: "chunk", chunk: rest };
  // OpenAI reports usage once, for the whole call, so it is final.
  if (usage) yield { type: "usage", usage: normalizeOpenAIUsage(usage), final: true };
}

/** An adapter for OpenAI's chat completions API, or a server that imitates it (see `flavor`). */
export function createOpenAIAdapter(config: OpenAIAdapterConfig): ProviderAdapter {
  const flavor = config.flavor ?? "openai";
  const client = new OpenAI({
    baseURL: config.baseURL,
    // The SDK refuses to start without a key; keyless servers ignore whatever is sent.
    apiKey: config.apiKey ?? (flavor === "ollama" ? "ollama" : "unused"),
    // The gateway owns retries and fallback; a hidden SDK retry would double-bill and delay it.
    maxRetries: 0,
    timeout: config.timeoutMs,
    fetch: tolerantFetch(config.id, config.connectTimeoutMs),
  });

  return {
    async complete(request: ChatRequest, options: CallOptions) {
      const body = { ...requestBody(request, flavor), model: options.upstreamModel };
      try {
        const completion = await client.chat.completions.create(body, { signal: options.signal });
        const usage = completion.usage ? normalizeOpenAIUsage(completion.usage) : NO_USAGE;
        return { body: completion, usage };
      } catch (err) {
        throw failure(config.id, err, options.signal);
      }
    },

    async *stream(request: ChatRequest, options: CallOptions) {
      const body = {
        ...requestBody(request, flavor),
        model: options.upstreamModel,
        stream: true as const,
        // Usage is needed for billing whether or not the client asked to see it.
        stream_options: { ...request.stream_options, include_usage: true },
      };
      try {
        const upstream = await client.chat.completions.create(body, { signal: options.signal });
        for await (const chunk of upstream) yield* toEvents(chunk);
      } catch (err) {
        throw failure(config.id, err, options.signal);
      }
      // The SDK ends the iteration quietly when its request is aborted mid-stream; a cut-short
      // answer must not look complete to the gateway.
      if (options.signal.aborted) throw new APIUserAbortError();
    },
  };
}
