import type { GatewayConfig, ResolvedModel, ResolvedTier } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";

/** The models a tier may call, in its order; none for a tier the config no longer has. */
export function tierModels(config: GatewayConfig, tierId: string): ResolvedModel[] {
  const tier = config.tiers.get(tierId);
  if (!tier) return [];
  return tier.models.flatMap((id) => {
    const model = config.models.get(id);
    return model ? [model] : [];
  });
}

/**
 * The models that may answer a request, in the order to try them: the one asked for, then its
 * chain (the tier's `fallbacks` entry for it, else the rest of the tier's list but the demo
 * models). Each model once.
 * 404 for a model the config does not have; 403 for one outside the tier, unless the tier says to
 * serve such requests from its own chain.
 */
export function modelChain(
  config: GatewayConfig,
  tierId: string,
  requested: string,
): ResolvedModel[] {
  const model = config.models.get(requested);
  if (!model) {
    throw new GatewayError(
      "model_not_found",
      `The model '${requested}' does not exist or you do not have access to it. GET /v1/models lists the models your key may use.`,
      { param: "model" },
    );
  }
  const tier = config.tiers.get(tierId);
  if (!tier?.models.includes(requested)) {
    if (tier?.outsideTier === "serve") return unique(config, tier.models);
    const allowed = tier?.models.join(", ") || "none";
    throw new GatewayError(
      "model_not_allowed",
      `The model '${requested}' is not available on the '${tierId}' tier (available: ${allowed}). Upgrade the tier to use it.`,
      { param: "model" },
    );
  }
  return unique(config, [requested, ...fallbacksOf(config, tier, requested)]);
}

/**
 * A model's chain: its `fallbacks` entry, else the tier's other models. The built-in demo provider
 * is left out of the implicit chain: a real model's outage must not be answered with canned text.
 */
function fallbacksOf(config: GatewayConfig, tier: ResolvedTier, model: string): string[] {
  const explicit = tier.fallbacks[model];
  if (explicit) return explicit;
  return tier.models.filter((m) => {
    const providerId = config.models.get(m)?.providerId ?? "";
    return m !== model && config.providers.get(providerId)?.type !== "demo";
  });
}

function unique(config: GatewayConfig, ids: string[]): ResolvedModel[] {
  return [...new Set(ids)].flatMap((id) => {
    const model = config.models.get(id);
    return model ? [model] : [];
  });
}
