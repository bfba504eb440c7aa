import type { ModelPrice } from "@/lib/pricing/catalog";
import type { ChatRequest } from "@/lib/providers/types";
import { estimatePromptTokens } from "@/lib/tokens/count";

/**
 * An upper bound of the prompt's tokens: the tokenizer's count plus a margin for what it does not
 * see exactly (another provider's tokenizer, message framing, tool schemas, images).
 */
export function promptTokenBound(request: ChatRequest): number {
  return Math.ceil(estimatePromptTokens(request) * 1.15) + 32;
}

/**
 * The most a call can cost: every prompt token at the dearer of the input and cache-write prices,
 * and the whole output allowance. Rounded up, in nano-dollars.
 */
export function worstCaseCost(
  price: ModelPrice,
  promptTokens: number,
  outputTokens: number,
): number {
  const input = BigInt(Math.max(price.inputNanoUsdPerMTok, price.cacheWriteNanoUsdPerMTok));
  const scaled =
    BigInt(promptTokens) * input + BigInt(outputTokens) * BigInt(price.outputNanoUsdPerMTok);
  return Number((scaled + 999_999n) / 1_000_000n);
}
