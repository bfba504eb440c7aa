import { createOpenAIAdapter } from "./openai";
import type { ProviderAdapter } from "./types";

export interface OllamaAdapterConfig {
  id: string;
  /** Ollama's own address, e.g. `http://127.0.0.1:11434`, without the `/v1` of its OpenAI API. */
  baseURL: string;
  apiKey: string | undefined;
  timeoutMs: number;
  /** Longest wait to open the connection; unset: bounded by timeoutMs only. */
  connectTimeoutMs?: number;
}

/** Ollama's OpenAI-compatible API lives under `/v1`; accept a URL given either way. */
function openAIBaseURL(baseURL: string): string {
  const trimmed = baseURL.replace(/\/+$/, "");
  return trimmed.endsWith("/v1") ? trimmed : `${trimmed}/v1`;
}

/**
 * An adapter for Ollama through its OpenAI-compatible endpoint. The OpenAI adapter does the work;
 * its "ollama" flavor handles the differences: a placeholder API key (Ollama has none, but a
 * proxy in front of it may want one, so a configured key is still sent), `max_tokens` instead of
 * `max_completion_tokens`, `n` > 1 refused, `{"error":"…"}` bodies read as messages, and streams
 * without usage on releases that predate `stream_options` (no usage event; the gateway estimates).
 */
export function createOllamaAdapter(config: OllamaAdapterConfig): ProviderAdapter {
  return createOpenAIAdapter({
    id: config.id,
    baseURL: openAIBaseURL(config.baseURL),
    apiKey: config.apiKey,
    timeoutMs: config.timeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    flavor: "ollama",
  });
}
