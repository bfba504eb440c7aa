import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
} from "openai/resources/chat/completions";
import { brand, isBranded } from "@/lib/brand";

/** The OpenAI chat request as a client sent it, already validated by the gateway. */
export type ChatRequest = ChatCompletionCreateParams;

/**
 * Token counts normalised across providers before pricing. `inputTokens` never includes cached
 * tokens: OpenAI's `prompt_tokens` does (so subtract `cached_tokens`), Anthropic's `input_tokens`
 * does not.
 */
export interface NormalizedUsage {
  inputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
}

export interface CallOptions {
  /** The model name the provider knows, from the config's `upstreamModel`. */
  upstreamModel: string;
  /** Aborted when the client goes away or the gateway gives up on the attempt. */
  signal: AbortSignal;
  /** Used when the request sets no output limit and the provider needs one (Anthropic). */
  maxOutputTokens: number;
}

export interface CompletionResult {
  /** An OpenAI chat completion; the gateway rewrites `model` to the configured id. */
  body: ChatCompletion;
  usage: NormalizedUsage;
}

/**
 * What a streaming adapter yields. Chunks carry no usage: usage arrives as its own event, possibly
 * more than once (Anthropic reports input tokens at the start and output tokens at the end); the
 * last one seen wins, and `final` says the provider reported the whole call.
 */
export type StreamEvent =
  | { type: "chunk"; chunk: ChatCompletionChunk }
  | { type: "usage"; usage: NormalizedUsage; final: boolean };

export interface ProviderAdapter {
  complete(request: ChatRequest, options: CallOptions): Promise<CompletionResult>;
  stream(request: ChatRequest, options: CallOptions): AsyncIterable<StreamEvent>;
  /**
   * The same events grouped as they arrived, one non-empty array per read of the provider's
   * connection. The gateway forwards a group as one write: a burst of events costs it one hop and
   * one socket write instead of one per event. Adapters without it are read event by event.
   */
  streamBatches?(request: ChatRequest, options: CallOptions): AsyncIterable<StreamEvent[]>;
}

/**
 * A failure reported by (or while reaching) a provider. `status` is the HTTP status to answer
 * with; connection failures and timeouts use 502 and 504.
 */
const UPSTREAM_ERROR = brand("UpstreamError");
const UNSUPPORTED_FEATURE_ERROR = brand("UnsupportedFeatureError");

export class UpstreamError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, UPSTREAM_ERROR);
  }

  readonly [UPSTREAM_ERROR] = true;
  readonly status: number;
  readonly providerId: string;
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  /** How long the provider asked to wait (its retry-after), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    status: number;
    providerId: string;
    message: string;
    type?: string;
    code?: string | null;
    param?: string | null;
    retryAfterMs?: number;
  }) {
    super(init.message);
    this.name = "UpstreamError";
    this.status = init.status;
    this.providerId = init.providerId;
    this.type = init.type ?? (init.status >= 500 ? "api_error" : "invalid_request_error");
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/**
 * Raised before any provider call when a request uses something the provider cannot do, so the
 * client gets a 400 instead of a silently dropped field.
 */
export class UnsupportedFeatureError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, UNSUPPORTED_FEATURE_ERROR);
  }

  readonly [UNSUPPORTED_FEATURE_ERROR] = true;
  readonly param: string;

  constructor(message: string, param: string) {
    super(message);
    this.name = "UnsupportedFeatureError";
    this.param = param;
  }
}
