import { z } from "zod";
import { GatewayError } from "@/lib/errors";
import type { ChatRequest } from "@/lib/providers/types";

const optionalNullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const positiveInt = z.number().int().min(1);

const contentPart = z.looseObject({ type: z.string() });
const content = z.union([z.string(), z.array(contentPart)]);

const message = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content }),
  z.looseObject({ role: z.literal("developer"), content }),
  z.looseObject({ role: z.literal("user"), content }),
  z.looseObject({
    role: z.literal("assistant"),
    content: optionalNullable(content),
    tool_calls: z
      .array(
        z.looseObject({
          id: z.string(),
          type: z.string(),
          function: z.looseObject({ name: z.string(), arguments: z.string() }),
        }),
      )
      .optional(),
  }),
  z.looseObject({ role: z.literal("tool"), content, tool_call_id: z.string() }),
  z.looseObject({
    role: z.literal("function"),
    content: optionalNullable(z.string()),
    name: z.string(),
  }),
]);

/**
 * The fields the gateway itself relies on, checked strictly; everything else passes through to the
 * provider untouched (unknown keys are kept), so new OpenAI parameters keep working.
 */
const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: optionalNullable(z.boolean()),
  stream_options: optionalNullable(z.looseObject({ include_usage: z.boolean().optional() })),
  max_tokens: optionalNullable(positiveInt),
  max_completion_tokens: optionalNullable(positiveInt),
  n: optionalNullable(positiveInt.max(128)),
  temperature: optionalNullable(z.number().min(0).max(2)),
  top_p: optionalNullable(z.number().min(0).max(1)),
  stop: optionalNullable(z.union([z.string(), z.array(z.string()).max(4)])),
  tools: z
    .array(z.looseObject({ type: z.string(), function: z.looseObject({ name: z.string() }) }))
    .optional(),
  user: z.string().optional(),
});

/** Validates a chat completion body, or throws a 400 naming the parameter and what to send. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new GatewayError("invalid_request", "The request body must be a JSON object.");
  }
  const result = chatRequestSchema.safeParse(body, { reportInput: true });
  if (result.success) return result.data as unknown as ChatRequest;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const param = paramName(issue.path);
  throw new GatewayError("invalid_request", describeIssue(issue, param), { param });
}

/** OpenAI's way of naming nested parameters: `messages[0].role`. */
function paramName(path: PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, "");
}

function article(expected: string): string {
  if (expected === "int") return "an integer";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && Number.isInteger(value)) return "an integer";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function describeIssue(issue: z.core.$ZodIssue, param: string): string {
  const input = "input" in issue ? issue.input : undefined;
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined) return `Missing required parameter: '${param}'.`;
      return `Invalid type for '${param}': expected ${article(issue.expected)}, but got ${typeName(input)} instead.`;
    case "too_small":
      if (issue.origin === "array") {
        return `Invalid '${param}': empty array. Expected an array with minimum length ${issue.minimum}.`;
      }
      if (issue.origin === "string") return `Invalid '${param}': must not be empty.`;
      return `Invalid '${param}': ${String(input)}. Expected a value >= ${issue.minimum}.`;
    case "too_big":
      if (issue.origin === "array") {
        return `Invalid '${param}': too many items. Expected at most ${issue.maximum}.`;
      }
      return `Invalid '${param}': ${String(input)}. Expected a value <= ${issue.maximum}.`;
    case "invalid_union":
      if ("note" in issue && issue.note === "No matching discriminator") {
        const role = (input as { role?: unknown } | undefined)?.role;
        return `Invalid value for '${param}': ${JSON.stringify(role)}. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool' and 'function'.`;
      }
      return `Invalid type for '${param}': expected a string or an array of content parts.`;
    default:
      return `Invalid '${param}': ${issue.message}.`;
  }
}
