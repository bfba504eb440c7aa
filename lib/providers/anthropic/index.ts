import Anthropic from "@anthropic-ai/sdk";
import { tolerantFetch } from "../tolerant-fetch";
import type {
  CallOptions,
  ChatRequest,
  CompletionResult,
  ProviderAdapter,
  StreamEvent,
} from "../types";
import { UpstreamError } from "../types";
import { abortError, type ErrorContext, toGatewayError } from "./errors";
import { toAnthropicRequest } from "./request";
import { normalizeUsage, toChatCompletion } from "./response";
import { translateStream } from "./stream";

/** How to reach one Anthropic (or Anthropic-compatible) Messages API. */
export interface AnthropicAdapterConfig {
  id: string;
  baseURL: string;
  apiKey: string | undefined;
  timeoutMs: number;
  /** Longest wait to open the connection; unset: bounded by timeoutMs only. */
  connectTimeoutMs?: number;
}

/** Creates a ProviderAdapter that serves OpenAI chat requests through Anthropic's Messages API. */
export function createAnthropicAdapter(config: AnthropicAdapterConfig): ProviderAdapter {
  // Without a key the SDK would fall back to ANTHROPIC_* environment variables and credential
  // files on the host, so a provider configured without one fails every call instead.
  const client =
    config.apiKey === undefined
      ? undefined
      : new Anthropic({
          apiKey: config.apiKey,
          baseURL: config.baseURL,
          timeout: config.timeoutMs,
          // The gateway owns retries and fallback; SDK retries would hide attempts from it.
          maxRetries: 0,
          fetch: tolerantFetch(config.id, config.connectTimeoutMs),
        });

  const requireClient = (): Anthropic => {
    if (client) return client;
    throw new UpstreamError({
      status: 500,
      providerId: config.id,
      code: "provider_misconfigured",
      message: `Provider "${config.id}" has no API key configured`,
    });
  };
  const context = (options: CallOptions): ErrorContext => ({
    providerId: config.id,
    timeoutMs: config.timeoutMs,
    signal: options.signal,
  });

  async function complete(request: ChatRequest, options: CallOptions): Promise<CompletionResult> {
    const body = toAnthropicRequest(request, options);
    const anthropic = requireClient();
    try {
      const message = await anthropic.messages.create(
        { ...body, stream: false },
        { signal: options.signal },
      );
      return { body: toChatCompletion(message), usage: normalizeUsage(message.usage) };
    } catch (error) {
      throw toGatewayError(error, context(options));
    }
  }

  async function* stream(request: ChatRequest, options: CallOptions): AsyncGenerator<StreamEvent> {
    const body = toAnthropicRequest(request, options);
    const anthropic = requireClient();
    try {
      const events = await anthropic.messages.create(
        { ...body, stream: true },
        { signal: options.signal },
      );
      yield* translateStream(events, config.id);
    } catch (error) {
      throw toGatewayError(error, context(options));
    }
    // The SDK ends a stream quietly when its signal aborts; the caller must still see the abort.
    if (options.signal.aborted) throw abortError(options.signal);
  }

  return { complete, stream };
}
