/**
 * Test configs: one model per provider kind, each pointed at a fake server the test started.
 * Prices are round numbers so expected costs can be worked out by hand.
 */
export function gatewayConfig(
  urls: { openai: string; anthropic?: string; ollama?: string },
  {
    timeoutMs = 5000,
    fallbacks,
  }: { timeoutMs?: number; fallbacks?: Record<string, string[]> } = {},
) {
  // Unless a test is about fallback, every model stands alone: a failure is answered as it is.
  const chains =
    fallbacks ??
    Object.fromEntries(
      ["gpt-4o", "gpt-4o-mini", "claude-haiku", "llama3.1", "demo"].map((m) => [m, []]),
    );
  const known = (ids: string[]) =>
    Object.fromEntries(Object.entries(chains).filter(([m]) => ids.includes(m)));
  return {
    providers: [
      {
        id: "openai",
        type: "openai",
        baseURL: `${urls.openai}/v1`,
        apiKeyEnv: "TEST_OPENAI_KEY",
        timeoutMs,
      },
      ...(urls.anthropic
        ? [
            {
              id: "anthropic",
              type: "anthropic",
              baseURL: urls.anthropic,
              apiKeyEnv: "TEST_ANTHROPIC_KEY",
              timeoutMs,
            },
          ]
        : []),
      ...(urls.ollama ? [{ id: "ollama", type: "ollama", baseURL: urls.ollama, timeoutMs }] : []),
      { id: "demo", type: "demo" },
    ],
    models: [
      // $2.50 in, $10 out, $1.25 cached per million: gpt-4o's prices.
      {
        id: "gpt-4o",
        provider: "openai",
        inputPerMillionUsd: 2.5,
        outputPerMillionUsd: 10,
        cachedInputPerMillionUsd: 1.25,
      },
      { id: "gpt-4o-mini", provider: "openai" },
      ...(urls.anthropic
        ? [
            {
              id: "claude-haiku",
              provider: "anthropic",
              upstreamModel: "claude-3-5-haiku-latest",
              inputPerMillionUsd: 0.8,
              outputPerMillionUsd: 4,
              cachedInputPerMillionUsd: 0.08,
              cacheWritePerMillionUsd: 1,
              maxOutputTokens: 8192,
            },
          ]
        : []),
      ...(urls.ollama
        ? [{ id: "llama3.1", provider: "ollama", inputPerMillionUsd: 0, outputPerMillionUsd: 0 }]
        : []),
      { id: "demo", provider: "demo", inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 },
    ],
    // No retries on the same model unless a test asks: a scripted failure is then seen as it is.
    routing: { retries: 0 },
    defaultTier: "free",
    tiers: [
      {
        id: "free",
        monthlyBudgetUsd: 0.1,
        requestsPerMinute: 1000,
        tokensPerMinute: 1_000_000,
        models: ["demo", "gpt-4o-mini"],
        fallbacks: known(["demo", "gpt-4o-mini"]),
      },
      {
        id: "pro",
        monthlyBudgetUsd: 10,
        requestsPerMinute: 1000,
        tokensPerMinute: 1_000_000,
        models: [
          "gpt-4o",
          "gpt-4o-mini",
          "demo",
          ...(urls.anthropic ? ["claude-haiku"] : []),
          ...(urls.ollama ? ["llama3.1"] : []),
        ],
        fallbacks: known([
          "gpt-4o",
          "gpt-4o-mini",
          "demo",
          ...(urls.anthropic ? ["claude-haiku"] : []),
          ...(urls.ollama ? ["llama3.1"] : []),
        ]),
      },
    ],
  };
}
