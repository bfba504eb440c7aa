import { UpstreamError } from "@/lib/providers/types";
import { isAbort } from "@/lib/providers/upstream-errors";

/**
 * What to do after an attempt failed:
 * - "retry": the same model may succeed again soon (429, 5xx, connection errors);
 * - "next": go to the next model at once (timeouts, context overflow, the provider refusing the
 *   gateway's key, retries used up);
 * - "fatal": answer the client now (other 4xx, an unsupported parameter, the client went away).
 */
export type FailureAction = "retry" | "next" | "fatal";

// How OpenAI, Anthropic, vLLM and Ollama word a prompt that does not fit the model.
const CONTEXT_OVERFLOW = [
  /context[_ ]length[_ ]exceeded/i,
  /maximum context length/i,
  /prompt is too long/i,
  /input is too long/i,
  /exceeds? (the )?(model'?s? )?(maximum )?context (window|length)/i,
  /too many tokens/i,
  /context window/i,
];

export function isContextOverflow(err: UpstreamError): boolean {
  if (err.code === "context_length_exceeded") return true;
  return err.status === 400 && CONTEXT_OVERFLOW.some((pattern) => pattern.test(err.message));
}

export function classifyFailure(err: unknown): FailureAction {
  if (isAbort(err) || !(err instanceof UpstreamError)) return "fatal";
  if (err.code === "upstream_timeout") return "next";
  if (isContextOverflow(err)) return "next";
  if (err.status === 429 || err.status >= 500) return "retry";
  // The provider refused the gateway's own credentials: another provider may still answer.
  if (err.status === 401 || err.status === 403) return "next";
  return "fatal";
}
