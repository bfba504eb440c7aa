import type { ChatRequest } from "../types";
import { UnsupportedFeatureError } from "../types";

function isNonZero(value: number | null | undefined): boolean {
  return value != null && value !== 0;
}

/**
 * Refuses request fields that Anthropic cannot honour, before any call, so the client gets a 400
 * rather than an answer that silently ignored what it asked for. Pure hints that cannot change
 * the answer (store, metadata, service_tier, prompt_cache_key, prediction, stream_options, image
 * `detail`, message `name`) are dropped instead, and so are the tuning hints reasoning_effort and
 * verbosity: Anthropic's thinking and effort settings differ per model and have no exact match.
 */
export function assertSupported(request: ChatRequest): void {
  // Anthropic generates exactly one message per call.
  if (request.n != null && request.n !== 1) {
    throw new UnsupportedFeatureError("Anthropic returns a single choice; n must be 1.", "n");
  }
  // Anthropic exposes no token probabilities.
  if (request.logprobs === true) {
    throw new UnsupportedFeatureError("Anthropic does not return logprobs.", "logprobs");
  }
  if (isNonZero(request.top_logprobs)) {
    throw new UnsupportedFeatureError("Anthropic does not return logprobs.", "top_logprobs");
  }
  // Anthropic produces text only.
  if (request.audio != null) {
    throw new UnsupportedFeatureError("Anthropic cannot produce audio output.", "audio");
  }
  if (request.modalities?.includes("audio")) {
    throw new UnsupportedFeatureError("Anthropic cannot produce audio output.", "modalities");
  }
  // Anthropic's sampler has no repetition penalties or token biasing; 0 is OpenAI's default and
  // changes nothing, so only a real penalty is refused.
  if (isNonZero(request.presence_penalty)) {
    throw new UnsupportedFeatureError("Anthropic has no presence_penalty.", "presence_penalty");
  }
  if (isNonZero(request.frequency_penalty)) {
    throw new UnsupportedFeatureError("Anthropic has no frequency_penalty.", "frequency_penalty");
  }
  if (request.logit_bias != null && Object.keys(request.logit_bias).length > 0) {
    throw new UnsupportedFeatureError("Anthropic has no logit_bias.", "logit_bias");
  }
  // Anthropic's API version 2026-10-21, which SDK 1.x sends, removed temperature and top_p: any
  // value, even the default, is a 400 "Extra inputs are not permitted". OpenAI's own reasoning
  // models answer the same way (only the default 1 is accepted), so that rule is mirrored: 1 is
  // dropped as a no-op and any other value refused.
  if (request.temperature != null && request.temperature !== 1) {
    throw new UnsupportedFeatureError(
      "Anthropic no longer supports temperature; only the default (1) is accepted.",
      "temperature",
    );
  }
  if (request.top_p != null && request.top_p !== 1) {
    throw new UnsupportedFeatureError(
      "Anthropic no longer supports top_p; only the default (1) is accepted.",
      "top_p",
    );
  }
  // A client that sends a seed asks for reproducible sampling, which Anthropic cannot offer.
  if (request.seed != null) {
    throw new UnsupportedFeatureError("Anthropic does not support seeded sampling.", "seed");
  }
  // The legacy functions API would need function_call (not tool_calls) in the answer.
  if (request.functions != null) {
    throw new UnsupportedFeatureError(
      "Legacy functions are not supported for Anthropic; use tools.",
      "functions",
    );
  }
  if (request.function_call != null) {
    throw new UnsupportedFeatureError(
      "Legacy function_call is not supported for Anthropic; use tool_choice.",
      "function_call",
    );
  }
  // OpenAI's built-in web search and moderation return OpenAI-specific results Anthropic lacks.
  if (request.web_search_options != null) {
    throw new UnsupportedFeatureError(
      "OpenAI web search is not available on Anthropic.",
      "web_search_options",
    );
  }
  if (request.moderation != null) {
    throw new UnsupportedFeatureError(
      "OpenAI moderation is not available on Anthropic.",
      "moderation",
    );
  }
}
