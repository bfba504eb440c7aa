import type { NormalizedUsage } from "@/lib/providers/types";
import type { ModelPrice } from "./catalog";

const PER_MILLION = 1_000_000n;

/**
 * The exact cost of one call in nano-dollars, rounded up once per call. BigInt because tokens times
 * a per-million price in nano-dollars passes 2^53 for long prompts on expensive models.
 */
export function costNanoUsd(usage: NormalizedUsage, price: ModelPrice): number {
  const scaled =
    BigInt(usage.inputTokens) * BigInt(price.inputNanoUsdPerMTok) +
    BigInt(usage.cacheReadTokens) * BigInt(price.cacheReadNanoUsdPerMTok) +
    BigInt(usage.cacheWriteTokens) * BigInt(price.cacheWriteNanoUsdPerMTok) +
    BigInt(usage.outputTokens) * BigInt(price.outputNanoUsdPerMTok);
  const whole = scaled / PER_MILLION;
  return Number(scaled % PER_MILLION === 0n ? whole : whole + 1n);
}
