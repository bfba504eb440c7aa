import type {
  ContentBlockParam,
  TextBlockParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessageParam,
  ChatCompletionToolMessageParam,
} from "openai/resources/chat/completions";
import { UnsupportedFeatureError } from "../types";
import { textContent, userPartBlocks } from "./content";

/** One Anthropic conversation turn; Anthropic only has user and assistant turns. */
export interface Turn {
  role: "user" | "assistant";
  content: ContentBlockParam[];
}

/** The conversation split the way Anthropic wants it: system prompt apart from the turns. */
export interface TranslatedMessages {
  system: TextBlockParam[];
  messages: Turn[];
}

/**
 * Anthropic tool-use ids must match `^[a-zA-Z0-9_-]+$`, OpenAI ids may hold anything; the same
 * deterministic rewrite is applied to `tool_calls[].id` and `tool_call_id` so the pairs still match.
 */
export function toAnthropicToolId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, "_");
}

function parseArguments(raw: string, param: string): Record<string, unknown> {
  // Some clients send "" for a tool without parameters; Anthropic needs an object either way.
  if (raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new UnsupportedFeatureError(
      "Tool call arguments must be valid JSON: Anthropic stores tool input as a JSON object.",
      param,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UnsupportedFeatureError(
      "Tool call arguments must be a JSON object: Anthropic stores tool input as an object.",
      param,
    );
  }
  return parsed as Record<string, unknown>;
}

function assistantBlocks(
  message: ChatCompletionAssistantMessageParam,
  param: string,
): ContentBlockParam[] {
  if (message.audio != null) {
    throw new UnsupportedFeatureError("Anthropic cannot replay audio responses.", `${param}.audio`);
  }
  if (message.function_call != null) {
    throw new UnsupportedFeatureError(
      "Legacy function_call messages are not supported for Anthropic; use tool_calls.",
      `${param}.function_call`,
    );
  }
  const blocks: ContentBlockParam[] = [];
  const content = message.content;
  if (typeof content === "string") {
    blocks.push(...textContent(content));
  } else if (content) {
    for (const part of content) {
      // A refusal the assistant gave earlier is still part of what it said.
      const text = part.type === "refusal" ? part.refusal : part.text;
      if (text !== "") blocks.push({ type: "text", text });
    }
  }
  if (message.refusal && blocks.length === 0) blocks.push({ type: "text", text: message.refusal });
  (message.tool_calls ?? []).forEach((call, j) => {
    const callParam = `${param}.tool_calls[${j}]`;
    if (call.type !== "function") {
      throw new UnsupportedFeatureError("Anthropic has no custom (free-form) tools.", callParam);
    }
    const block: ToolUseBlockParam = {
      type: "tool_use",
      id: toAnthropicToolId(call.id),
      name: call.function.name,
      input: parseArguments(call.function.arguments, `${callParam}.function.arguments`),
    };
    blocks.push(block);
  });
  return blocks;
}

function toolResultBlock(message: ChatCompletionToolMessageParam): ToolResultBlockParam {
  const block: ToolResultBlockParam = {
    type: "tool_result",
    tool_use_id: toAnthropicToolId(message.tool_call_id),
  };
  // Anthropic rejects empty text blocks, so an empty tool output is sent as a result without content.
  if (typeof message.content === "string") {
    if (message.content !== "") block.content = message.content;
  } else {
    const content = textContent(message.content);
    if (content.length > 0) block.content = content;
  }
  return block;
}

// Anthropic requires user and assistant turns to alternate, while OpenAI allows runs of the same
// role (and sends each tool result as its own message), so consecutive same-role turns are merged.
function pushTurn(turns: Turn[], role: Turn["role"], blocks: ContentBlockParam[]): void {
  if (blocks.length === 0) return;
  const last = turns[turns.length - 1];
  if (!last || last.role !== role) {
    turns.push({ role, content: blocks });
    return;
  }
  last.content.push(...blocks);
  // Anthropic wants a user turn's tool_result blocks before any other content; a stable partition
  // keeps each group in its original order.
  if (role === "user") {
    const isResult = (block: ContentBlockParam) => block.type === "tool_result";
    last.content = [...last.content.filter(isResult), ...last.content.filter((b) => !isResult(b))];
  }
}

/** Translates OpenAI chat messages into Anthropic's system blocks and alternating turns. */
export function translateMessages(input: ChatCompletionMessageParam[]): TranslatedMessages {
  const system: TextBlockParam[] = [];
  const turns: Turn[] = [];
  input.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case "system":
      case "developer":
        // Anthropic takes its system prompt as the top-level `system` field and has no portable
        // mid-conversation system role (the in-conversation `role: "system"` message is recent
        // and tied to newer models), so a system message that comes after the first user turn is
        // still kept, in order, in that top-level list. Separate blocks keep them apart.
        system.push(...textContent(message.content));
        break;
      case "user": {
        const content = message.content;
        const blocks =
          typeof content === "string"
            ? textContent(content)
            : content.flatMap((part, j) => userPartBlocks(part, `${param}.content[${j}]`));
        pushTurn(turns, "user", blocks);
        break;
      }
      case "assistant":
        pushTurn(turns, "assistant", assistantBlocks(message, param));
        break;
      case "tool":
        // Anthropic carries tool results inside the next user turn.
        pushTurn(turns, "user", [toolResultBlock(message)]);
        break;
      default:
        throw new UnsupportedFeatureError(
          `Messages with role "${message.role}" are not supported for Anthropic; use tool messages.`,
          `${param}.role`,
        );
    }
  });
  return { system, messages: turns };
}
