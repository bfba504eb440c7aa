import type { Message, StopReason } from "@anthropic-ai/sdk/resources/messages";
import type {
  ChatCompletion,
  ChatCompletionMessageFunctionToolCall,
} from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import type { NormalizedUsage } from "../types";

/** An OpenAI finish reason, as chat completions and chunks report it. */
export type FinishReason = ChatCompletion.Choice["finish_reason"];

/** The usage fields Anthropic reports, in a message and (cumulatively) in message_delta. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens: number;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/** Maps Anthropic's stop_reason onto OpenAI's finish_reason. */
export function toFinishReason(reason: StopReason | null | undefined): FinishReason {
  switch (reason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      // end_turn, stop_sequence, and pause_turn (a server-tool turn Anthropic paused, which the
      // client can only treat as a finished answer) all mean the model stopped normally.
      return "stop";
  }
}

/** Normalises Anthropic usage; Anthropic's input_tokens already excludes cached tokens. */
export function normalizeUsage(usage: AnthropicUsage): NormalizedUsage {
  return {
    inputTokens: usage.input_tokens ?? 0,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    outputTokens: usage.output_tokens,
  };
}

/** OpenAI usage from normalised usage: OpenAI's prompt_tokens include cache reads and writes. */
export function toOpenAIUsage(usage: NormalizedUsage): CompletionUsage {
  const promptTokens = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: promptTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
  };
}

/** The OpenAI completion id for an Anthropic message id. */
export function toCompletionId(messageId: string): string {
  return `chatcmpl-${messageId}`;
}

/** Translates an Anthropic message into an OpenAI chat completion. */
export function toChatCompletion(message: Message): ChatCompletion {
  let text = "";
  const toolCalls: ChatCompletionMessageFunctionToolCall[] = [];
  for (const block of message.content) {
    if (block.type === "text") text += block.text;
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
    // Thinking blocks and server-side tool blocks (web search, code execution) have no place in an
    // OpenAI chat message: the client neither sees reasoning nor runs those tools.
  }
  const hasText = text !== "";
  const messageOut: ChatCompletion.Choice["message"] = {
    role: "assistant",
    content: hasText || toolCalls.length === 0 ? text : null,
    refusal: null,
  };
  if (toolCalls.length > 0) messageOut.tool_calls = toolCalls;
  return {
    id: toCompletionId(message.id),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: message.model,
    choices: [
      {
        index: 0,
        message: messageOut,
        finish_reason: toFinishReason(message.stop_reason),
        logprobs: null,
      },
    ],
    usage: toOpenAIUsage(normalizeUsage(message.usage)),
  };
}
