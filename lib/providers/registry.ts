import type { ProviderConfig } from "@/lib/config/schema";
import { logger } from "@/lib/log";
import { createAnthropicAdapter } from "./anthropic";
import { createDemoAdapter } from "./demo";
import { createOllamaAdapter } from "./ollama";
import { createOpenAIAdapter } from "./openai";
import { type ProviderAdapter, UpstreamError } from "./types";

const DEFAULT_BASE_URL: Record<ProviderConfig["type"], string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  ollama: "http://127.0.0.1:11434",
  demo: "",
};

/** Builds one adapter per configured provider; keys are read from the environment once, here. */
export function createAdapters(providers: Iterable<ProviderConfig>): Map<string, ProviderAdapter> {
  const adapters = new Map<string, ProviderAdapter>();
  for (const p of providers) {
    if (p.apiKeyEnv && !process.env[p.apiKeyEnv]) {
      logger.warn(
        { provider: p.id, env: p.apiKeyEnv },
        `provider "${p.id}" has no key: set ${p.apiKeyEnv}; its models fall back or fail until then`,
      );
      adapters.set(p.id, missingKey(p.id, p.apiKeyEnv));
      continue;
    }
    const settings = {
      id: p.id,
      baseURL: (p.baseURL ?? DEFAULT_BASE_URL[p.type]).replace(/\/+$/, ""),
      apiKey: p.apiKeyEnv ? process.env[p.apiKeyEnv] : undefined,
      timeoutMs: p.timeoutMs,
      connectTimeoutMs: p.connectTimeoutMs,
    };
    switch (p.type) {
      case "openai":
        adapters.set(p.id, createOpenAIAdapter({ ...settings, maxTokensParam: p.maxTokensParam }));
        break;
      case "anthropic":
        adapters.set(p.id, createAnthropicAdapter(settings));
        break;
      case "ollama":
        adapters.set(p.id, createOllamaAdapter(settings));
        break;
      case "demo":
        adapters.set(p.id, createDemoAdapter());
        break;
    }
  }
  return adapters;
}

/**
 * A provider whose key variable is unset: every call fails before leaving the gateway (so the
 * provider never sees an empty or placeholder key) as a provider failure, which falls back.
 */
function missingKey(providerId: string, env: string): ProviderAdapter {
  const fail = () =>
    new UpstreamError({
      status: 502,
      providerId,
      type: "api_error",
      code: "provider_misconfigured",
      message: `Upstream provider "${providerId}" has no API key: the operator must set ${env}.`,
    });
  return {
    complete: async () => {
      throw fail();
    },
    // biome-ignore lint/correctness/useYield: this stream fails before its first event.
    async *stream() {
      throw fail();
    },
  };
}
