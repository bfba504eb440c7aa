import { countTokens } from "gpt-tokenizer";
import type { ChatCompletion } from "openai/resources/chat/completions";
import type { ChatRequest, NormalizedUsage } from "@/lib/providers/types";

/**
 * Per-message overhead (role markers and separators) in OpenAI's chat format, rounded up so that
 * estimates err on the side of counting more.
 */
const MESSAGE_OVERHEAD_TOKENS = 4;
const REPLY_PRIMER_TOKENS = 3;
/** Images are not tokenised here; a high-detail image costs at most about this many. */
const IMAGE_TOKENS = 1105;

/** Tokens of a piece of text with the o200k tokenizer (OpenAI's current models). */
export function countTextTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text);
}

/**
 * A call asks for its prompt's count several times (token limit, context window, each budget
 * reservation): it is counted once per messages array and tools, which a call never changes.
 */
const counted = new WeakMap<object, { tools: unknown; tokens: number }>();

/**
 * Estimates a request's prompt tokens: for admission, the context window and the budget bound, and
 * when a provider never reports usage (a stream cut before its end). Tools and structured parts
 * are counted as their JSON.
 */
export function estimatePromptTokens(request: ChatRequest): number {
  const seen = counted.get(request.messages);
  if (seen && seen.tools === request.tools) return seen.tokens;
  const tokens = countPromptTokens(request);
  counted.set(request.messages, { tools: request.tools, tokens });
  return tokens;
}

function countPromptTokens(request: ChatRequest): number {
  let tokens = REPLY_PRIMER_TOKENS;
  for (const message of request.messages) {
    tokens += MESSAGE_OVERHEAD_TOKENS;
    const content = message.content;
    if (typeof content === "string") tokens += countTextTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === "text") tokens += countTextTokens(part.text);
        else if (part.type === "image_url") tokens += IMAGE_TOKENS;
        else tokens += countTextTokens(JSON.stringify(part));
      }
    }
    if ("tool_calls" in message && message.tool_calls) {
      tokens += countTextTokens(JSON.stringify(message.tool_calls));
    }
  }
  if (request.tools) tokens += countTextTokens(JSON.stringify(request.tools));
  return tokens;
}

/** Usage of a whole completion counted locally, for providers that leave usage out. */
export function estimateCompletionUsage(
  request: ChatRequest,
  completion: ChatCompletion,
): NormalizedUsage {
  const output = completion.choices
    .map(
      (c) =>
        (c.message.content ?? "") +
        (c.message.tool_calls ? JSON.stringify(c.message.tool_calls) : ""),
    )
    .join("");
  return {
    inputTokens: estimatePromptTokens(request),
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: countTextTokens(output),
  };
}
