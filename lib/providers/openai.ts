import { APIUserAbortError } from "openai";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import { openaiWire, readJson, sseEvents } from "./openai-wire";
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
  /**
   * The field the server reads the output limit from. OpenAI's is `max_completion_tokens`; older
   * compatible servers (Ollama, and others the operator names in the config) read only
   * `max_tokens`, so a limit the client or a cap sets would be lost on them.
   */
  maxTokensParam?: "max_completion_tokens" | "max_tokens";
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
function requestBody(
  request: ChatRequest,
  flavor: OpenAIFlavor,
  maxTokensParam: OpenAIAdapterConfig["maxTokensParam"],
): RequestBody {
  const { model: _model, stream: _stream, stream_options: _streamOptions, ...body } = request;
  if (flavor === "ollama" && typeof body.n === "number" && body.n > 1) {
    throw new UnsupportedFeatureError("Ollama does not support n greater than 1.", "n");
  }
  if ((maxTokensParam ?? (flavor === "ollama" ? "max_tokens" : undefined)) !== "max_tokens")
    return body;
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
function addEvents(events: StreamEvent[], chunk: ChatCompletionChunk): void {
  const { usage, ...rest } = chunk;
  if (!usage || chunk.choices.length > 0) events.push({ type: "chunk", chunk: rest });
  // OpenAI reports usage once, for the whole call, so it is final.
  if (usage) events.push({ type: "usage", usage: normalizeOpenAIUsage(usage), final: true });
}

/** An adapter for OpenAI's chat completions API, or a server that imitates it (see `flavor`). */
export function createOpenAIAdapter(config: OpenAIAdapterConfig): ProviderAdapter {
  const flavor = config.flavor ?? "openai";
  // No retries here: the gateway owns retries and fallback, a hidden one would double-bill.
  const wire = openaiWire({
    baseURL: config.baseURL,
    // Keyless servers (Ollama) ignore whatever is sent, as with the SDK's placeholder.
    apiKey: config.apiKey ?? (flavor === "ollama" ? "ollama" : "unused"),
    timeoutMs: config.timeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
  });

  async function* streamBatches(request: ChatRequest, options: CallOptions) {
    const body = {
      ...requestBody(request, flavor, config.maxTokensParam),
      model: options.upstreamModel,
      stream: true as const,
      // Usage is needed for billing whether or not the client asked to see it.
      stream_options: { ...request.stream_options, include_usage: true },
    };
    try {
      const response = await wire.post("/chat/completions", body, options.signal, true);
      for await (const batch of sseEvents(response, options.signal, config.id)) {
        const events: StreamEvent[] = [];
        for (const data of batch) addEvents(events, data as unknown as ChatCompletionChunk);
        yield events;
      }
    } catch (err) {
      throw failure(config.id, err, options.signal);
    }
  }

  return {
    async complete(request: ChatRequest, options: CallOptions) {
      const body = {
        ...requestBody(request, flavor, config.maxTokensParam),
        model: options.upstreamModel,
      };
      try {
        const response = await wire.post("/chat/completions", body, options.signal, false);
        const completion = await readJson<ChatCompletion>(response, options.signal);
        const usage = completion.usage ? normalizeOpenAIUsage(completion.usage) : NO_USAGE;
        return { body: completion, usage };
      } catch (err) {
        throw failure(config.id, err, options.signal);
      }
    },

    async *stream(request: ChatRequest, options: CallOptions) {
      for await (const batch of streamBatches(request, options)) yield* batch;
    },

    streamBatches,
  };
}
