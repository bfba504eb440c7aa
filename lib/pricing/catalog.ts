import { calcPrice } from "@pydantic/genai-prices";
import { usdToNano } from "./units";

/** Prices in nano-dollars (1e-9 USD) per million tokens: integers, so sums stay exact. */
export interface ModelPrice {
  inputNanoUsdPerMTok: number;
  outputNanoUsdPerMTok: number;
  cacheReadNanoUsdPerMTok: number;
  cacheWriteNanoUsdPerMTok: number;
}

export interface CatalogEntry {
  price: Partial<ModelPrice>;
  contextWindow?: number;
}

const PRICE_TABLE_PROVIDER: Record<string, string | undefined> = {
  openai: "openai",
  anthropic: "anthropic",
};

/**
 * Looks a model up in the bundled `@pydantic/genai-prices` table (read from the package, never
 * fetched). Returns null when the table does not know the model.
 */
export function lookUpPriceTable(providerType: string, upstreamModel: string): CatalogEntry | null {
  const providerId = PRICE_TABLE_PROVIDER[providerType];
  if (!providerId) return null;
  const result = calcPrice({ input_tokens: 0, output_tokens: 0 }, upstreamModel, { providerId });
  if (!result) return null;
  const p = result.model_price;
  // Tiered prices (long-context surcharges) are priced at their base rate; the tiers start past
  // 200k prompt tokens, beyond the context windows the shipped config allows.
  const num = (v: unknown) => {
    if (typeof v === "number") return usdToNano(v);
    if (v && typeof v === "object" && "base" in v && typeof v.base === "number")
      return usdToNano(v.base);
    return undefined;
  };
  return {
    price: {
      inputNanoUsdPerMTok: num(p.input_mtok),
      outputNanoUsdPerMTok: num(p.output_mtok),
      cacheReadNanoUsdPerMTok: num(p.cache_read_mtok),
      cacheWriteNanoUsdPerMTok: num(p.cache_write_mtok),
    },
    contextWindow: result.model.context_window,
  };
}
