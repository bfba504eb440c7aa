import type { ResolvedModel } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import type { KeyPrincipal } from "@/lib/keys/verify";
import { type Admission, admit, settleTokens } from "@/lib/limits/ratelimit";
import type { Logger } from "@/lib/log";
import type { ChatRequest, NormalizedUsage } from "@/lib/providers/types";
import type { Runtime } from "@/lib/runtime";
import { estimatePromptTokens } from "@/lib/tokens/count";

/** The most output tokens a call may produce: what the request allows, else the model's maximum. */
export function outputAllowance(request: ChatRequest, model: ResolvedModel): number {
  return request.max_completion_tokens ?? request.max_tokens ?? model.maxOutputTokens;
}

/**
 * Admission before any provider call: the rate limits of the key and its tenant, counting the
 * request and its estimated tokens (prompt by tokenizer plus the output allowance).
 */
export async function admitCall(
  runtime: Runtime,
  principal: KeyPrincipal,
  request: ChatRequest,
  model: ResolvedModel,
): Promise<Admission> {
  const tier = runtime.config.tiers.get(principal.tier);
  if (!tier)
    throw new GatewayError("model_not_allowed", `The tier '${principal.tier}' is not configured.`);
  const estimated = estimatePromptTokens(request) + outputAllowance(request, model);
  return admit(runtime.store, principal, tier, estimated);
}

/** Tokens a call really used, as the token limits count them: every prompt and output token. */
export function usedTokens(usage: NormalizedUsage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
}

/**
 * Corrects the token counters from the estimate to what the call used. Runs after the response,
 * off the request's path; a failure is logged and leaves the estimate counted (the safe side).
 */
export function settleAdmission(
  runtime: Runtime,
  admission: Admission,
  usage: NormalizedUsage,
  log: Logger,
): void {
  settleTokens(runtime.store, admission, usedTokens(usage)).catch((err: unknown) =>
    log.warn({ err }, "token counter correction failed"),
  );
}
