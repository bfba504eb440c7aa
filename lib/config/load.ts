import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { lookUpPriceTable, type ModelPrice } from "@/lib/pricing/catalog";
import { usdToNano } from "@/lib/pricing/units";
import { configSchema, type ProviderConfig, type RawConfig } from "./schema";

export interface ResolvedModel {
  id: string;
  providerId: string;
  upstreamModel: string;
  price: ModelPrice;
  /** Tokens; null when neither the config nor the price table knows it. */
  contextWindow: number | null;
  /** Output allowance when a request sets none. */
  maxOutputTokens: number;
}

export interface ResolvedTier {
  id: string;
  priceMonthlyUsd: number;
  /** null: no hard cap. */
  monthlyBudgetNanoUsd: number | null;
  requestsPerMinute: number;
  tokensPerMinute: number;
  models: string[];
  fallbacks: Record<string, string[]>;
  outsideTier: "refuse" | "serve";
  /** Cap per end user of a tenant; null: none. */
  perUserMonthlyBudgetNanoUsd: number | null;
  alertThresholdsPercent: number[];
  alertAmountsNanoUsd: number[];
}

export interface GatewayConfig {
  path: string;
  providers: Map<string, ProviderConfig>;
  models: Map<string, ResolvedModel>;
  tiers: Map<string, ResolvedTier>;
  defaultTier: string;
  maxBodyBytes: number;
  storeOnOutage: "open" | "closed";
  routing: RawConfig["routing"];
  auth: RawConfig["auth"];
}

export class ConfigError extends Error {
  constructor(file: string, field: string, problem: string) {
    super(`Invalid config ${file}: ${field}: ${problem}`);
    this.name = "ConfigError";
  }
}

/** The config file's path: `TOLLGATE_CONFIG`, else `tollgate.config.yaml` in the working directory. */
export function configPath(): string {
  // The file is chosen at run time; the ignore keeps the build from tracing the whole project.
  return path.resolve(
    /*turbopackIgnore: true*/ process.env.TOLLGATE_CONFIG ?? "tollgate.config.yaml",
  );
}

/** Reads, validates and resolves the config; throws ConfigError naming the file and the field. */
export function loadConfig(file = configPath()): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(/*turbopackIgnore: true*/ file, "utf8");
  } catch {
    throw new ConfigError(file, "(file)", "cannot be read; set TOLLGATE_CONFIG to a YAML file");
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const first = (err as Error).message.split("\n")[0] ?? "not YAML";
    throw new ConfigError(file, "(yaml)", first.replace(/:\s*$/, ""));
  }
  const parsed = configSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    throw new ConfigError(file, fieldName(issue.path), issue.message);
  }
  return resolveConfig(file, parsed.data);
}

function fieldName(parts: PropertyKey[]): string {
  return (
    parts.reduce<string>((acc, part) => {
      if (typeof part === "number") return `${acc}[${part}]`;
      return acc ? `${acc}.${String(part)}` : String(part);
    }, "") || "(root)"
  );
}

function resolveConfig(file: string, raw: RawConfig): GatewayConfig {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(file, field, problem);
  };
  const providers = new Map<string, ProviderConfig>();
  raw.providers.forEach((p, i) => {
    if (providers.has(p.id)) fail(`providers[${i}].id`, `duplicate provider "${p.id}"`);
    providers.set(p.id, p);
  });

  const models = new Map<string, ResolvedModel>();
  raw.models.forEach((m, i) => {
    const field = `models[${i}]`;
    if (models.has(m.id)) fail(`${field}.id`, `duplicate model "${m.id}"`);
    const provider = providers.get(m.provider);
    if (!provider)
      throw new ConfigError(file, `${field}.provider`, `unknown provider "${m.provider}"`);
    const upstreamModel = m.upstreamModel ?? m.id;
    const table = lookUpPriceTable(provider.type, upstreamModel);
    const fromConfig = (usd: number | undefined) =>
      usd === undefined ? undefined : usdToNano(usd);
    const input = fromConfig(m.inputPerMillionUsd) ?? table?.price.inputNanoUsdPerMTok;
    const output = fromConfig(m.outputPerMillionUsd) ?? table?.price.outputNanoUsdPerMTok;
    if (input === undefined || output === undefined) {
      fail(
        `${field}.inputPerMillionUsd`,
        `no known price for "${upstreamModel}"; set inputPerMillionUsd and outputPerMillionUsd (0 for a free local model)`,
      );
    }
    models.set(m.id, {
      id: m.id,
      providerId: provider.id,
      upstreamModel,
      price: {
        inputNanoUsdPerMTok: input as number,
        outputNanoUsdPerMTok: output as number,
        cacheReadNanoUsdPerMTok:
          fromConfig(m.cachedInputPerMillionUsd) ??
          table?.price.cacheReadNanoUsdPerMTok ??
          (input as number),
        cacheWriteNanoUsdPerMTok:
          fromConfig(m.cacheWritePerMillionUsd) ??
          table?.price.cacheWriteNanoUsdPerMTok ??
          (input as number),
      },
      contextWindow: m.contextWindow ?? table?.contextWindow ?? null,
      maxOutputTokens: m.maxOutputTokens ?? 4096,
    });
  });

  const tiers = new Map<string, ResolvedTier>();
  raw.tiers.forEach((t, i) => {
    const field = `tiers[${i}]`;
    if (tiers.has(t.id)) fail(`${field}.id`, `duplicate tier "${t.id}"`);
    t.models.forEach((m, j) => {
      if (!models.has(m)) fail(`${field}.models[${j}]`, `unknown model "${m}"`);
    });
    for (const [from, chain] of Object.entries(t.fallbacks)) {
      if (!models.has(from)) fail(`${field}.fallbacks.${from}`, `unknown model "${from}"`);
      chain.forEach((m, j) => {
        if (!models.has(m)) fail(`${field}.fallbacks.${from}[${j}]`, `unknown model "${m}"`);
      });
    }
    const cycle = findCycle(t.fallbacks);
    if (cycle) fail(`${field}.fallbacks`, `fallback chains form a cycle: ${cycle.join(" -> ")}`);
    tiers.set(t.id, {
      id: t.id,
      priceMonthlyUsd: t.priceMonthlyUsd,
      monthlyBudgetNanoUsd: t.monthlyBudgetUsd === null ? null : usdToNano(t.monthlyBudgetUsd),
      requestsPerMinute: t.requestsPerMinute,
      tokensPerMinute: t.tokensPerMinute,
      models: t.models,
      fallbacks: t.fallbacks,
      outsideTier: t.outsideTier,
      perUserMonthlyBudgetNanoUsd:
        t.perUserMonthlyBudgetUsd === undefined || t.perUserMonthlyBudgetUsd === null
          ? null
          : usdToNano(t.perUserMonthlyBudgetUsd),
      alertThresholdsPercent: [...t.alertThresholdsPercent].sort((a, b) => a - b),
      alertAmountsNanoUsd: t.alertAmountsUsd.map(usdToNano).sort((a, b) => a - b),
    });
  });

  const defaultTier = raw.defaultTier ?? raw.tiers[0]?.id ?? "";
  if (!tiers.has(defaultTier)) fail("defaultTier", `unknown tier "${defaultTier}"`);
  return {
    path: file,
    providers,
    models,
    tiers,
    defaultTier,
    maxBodyBytes: raw.server.maxBodyBytes,
    storeOnOutage: raw.store.onOutage,
    routing: raw.routing,
    auth: raw.auth,
  };
}

/** A model's explicit chain pointing back at itself, directly or through other chains. */
function findCycle(fallbacks: Record<string, string[]>): string[] | null {
  const visiting: string[] = [];
  const done = new Set<string>();
  const visit = (model: string): string[] | null => {
    const at = visiting.indexOf(model);
    if (at >= 0) return [...visiting.slice(at), model];
    if (done.has(model)) return null;
    visiting.push(model);
    for (const next of fallbacks[model] ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    visiting.pop();
    done.add(model);
    return null;
  };
  for (const model of Object.keys(fallbacks)) {
    const cycle = visit(model);
    if (cycle) return cycle;
  }
  return null;
}
