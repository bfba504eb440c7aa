import type { Tool, ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import type { ChatCompletionTool } from "openai/resources/chat/completions";
import type { ChatRequest } from "../types";
import { UnsupportedFeatureError } from "../types";

/** The tool fields of an Anthropic request. */
export interface TranslatedTools {
  tools?: Tool[];
  tool_choice?: ToolChoice;
}

function toAnthropicTool(tool: ChatCompletionTool, param: string): Tool {
  if (tool.type !== "function") {
    throw new UnsupportedFeatureError("Anthropic has no custom (free-form) tools.", param);
  }
  const fn = tool.function;
  // Anthropic requires an object schema even for a tool without parameters.
  const schema = fn.parameters ?? { type: "object", properties: {} };
  const out: Tool = { name: fn.name, input_schema: { type: "object", ...schema } };
  if (fn.description !== undefined) out.description = fn.description;
  if (fn.strict === true) out.strict = true;
  return out;
}

function allowedToolNames(entries: Array<{ [key: string]: unknown }>): Set<string> {
  const names = new Set<string>();
  for (const entry of entries) {
    const fn = entry.function;
    if (typeof fn === "object" && fn !== null && "name" in fn && typeof fn.name === "string") {
      names.add(fn.name);
    }
  }
  return names;
}

/** Translates `tools`, `tool_choice` and `parallel_tool_calls` into Anthropic's fields. */
export function translateTools(request: ChatRequest): TranslatedTools {
  let tools = (request.tools ?? []).map((tool, i) => toAnthropicTool(tool, `tools[${i}]`));
  const choice = request.tool_choice;
  let toolChoice: ToolChoice | undefined;
  if (choice === "auto") toolChoice = { type: "auto" };
  else if (choice === "required") toolChoice = { type: "any" };
  else if (choice === "none") toolChoice = { type: "none" };
  else if (choice?.type === "function") toolChoice = { type: "tool", name: choice.function.name };
  else if (choice?.type === "allowed_tools") {
    // Anthropic has no "allowed subset" choice; offering only the allowed tools has the same effect.
    const names = allowedToolNames(choice.allowed_tools.tools);
    tools = tools.filter((tool) => names.has(tool.name));
    toolChoice = { type: choice.allowed_tools.mode === "required" ? "any" : "auto" };
  } else if (choice?.type === "custom") {
    throw new UnsupportedFeatureError("Anthropic has no custom (free-form) tools.", "tool_choice");
  }
  // OpenAI puts the parallel switch on the request, Anthropic on the tool choice; without an
  // explicit choice "auto" is Anthropic's default, so it is spelled out to carry the switch.
  if (request.parallel_tool_calls === false && tools.length > 0) {
    toolChoice ??= { type: "auto" };
    if (toolChoice.type !== "none") toolChoice.disable_parallel_tool_use = true;
  }
  const out: TranslatedTools = {};
  if (tools.length > 0) out.tools = tools;
  if (toolChoice) out.tool_choice = toolChoice;
  return out;
}
