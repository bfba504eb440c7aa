import type { MessageCreateParamsBase, TextBlockParam } from "@anthropic-ai/sdk/resources/messages";
import type { CallOptions, ChatRequest } from "../types";
import { translateMessages } from "./messages";
import { translateTools } from "./tools";
import { assertSupported } from "./unsupported";

/** An Anthropic Messages request without the `stream` flag, which the caller adds. */
export type AnthropicRequest = Omit<MessageCreateParamsBase, "stream">;

const JSON_ONLY =
  "Respond with only a single valid JSON object. Do not wrap it in Markdown code fences and do " +
  "not write anything before or after it.";

/**
 * Anthropic's basic Messages API has no JSON mode, so OpenAI's `response_format` becomes a system
 * instruction (with the schema for `json_schema`). Anthropic's structured outputs
 * (`output_config.format`) are not used because not every model accepts them.
 */
function responseFormatInstruction(format: ChatRequest["response_format"]): string | undefined {
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") return JSON_ONLY;
  const { name, description, schema } = format.json_schema;
  const about = description ? ` (${description})` : "";
  return (
    `${JSON_ONLY} The object must conform to the JSON Schema named "${name}"${about}:\n` +
    JSON.stringify(schema ?? { type: "object" })
  );
}

/**
 * Translates an OpenAI chat request into an Anthropic Messages request, throwing
 * UnsupportedFeatureError for anything Anthropic cannot honour.
 */
export function toAnthropicRequest(request: ChatRequest, options: CallOptions): AnthropicRequest {
  assertSupported(request);
  const { system, messages } = translateMessages(request.messages);
  const instruction = responseFormatInstruction(request.response_format);
  const systemBlocks: TextBlockParam[] = instruction
    ? [...system, { type: "text", text: instruction }]
    : system;
  const body: AnthropicRequest = {
    model: options.upstreamModel,
    // Anthropic requires max_tokens; OpenAI's newer name wins over the deprecated one.
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? options.maxOutputTokens,
    messages,
    ...translateTools(request),
  };
  if (systemBlocks.length > 0) body.system = systemBlocks;
  if (request.stop != null) {
    const stops = typeof request.stop === "string" ? [request.stop] : request.stop;
    if (stops.length > 0) body.stop_sequences = stops;
  }
  // `safety_identifier` is OpenAI's successor to `user`; both identify the end user for abuse checks.
  const userId = request.user ?? request.safety_identifier;
  if (userId) body.metadata = { user_id: userId };
  return body;
}
