import type { GatewayConfig, ResolvedModel } from "@/lib/config/load";
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
 * Picks the configured model a request names. 404 when no such model is configured, 403 when the
 * tenant's tier may not call it.
 */
export function resolveModel(
  config: GatewayConfig,
  tierId: string,
  requested: string,
): ResolvedModel {
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
    const allowed = tier?.models.join(", ") || "none";
    throw new GatewayError(
      "model_not_allowed",
      `The model '${requested}' is not available on the '${tierId}' tier (available: ${allowed}). Upgrade the tier to use it.`,
      { param: "model" },
    );
  }
  return model;
}
