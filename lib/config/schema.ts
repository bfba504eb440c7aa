import { z } from "zod";

/** Unknown fields are refused (strict objects): a typo must not silently mean a default. */
/** Money in the config file is in US dollars as written by people; it becomes nano-dollars on load. */
const usd = z.number().nonnegative();
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, "use letters, digits and . _ : / -");

export const providerSchema = z.strictObject({
  id,
  type: z.enum(["openai", "anthropic", "ollama", "demo"]),
  /** Defaults per type: OpenAI's, Anthropic's public API, a local Ollama. */
  baseURL: z.url().optional(),
  /** Name of the environment variable holding the provider key; optional for ollama and demo. */
  apiKeyEnv: z.string().optional(),
  /** Longest wait for the first byte, and between stream chunks, in milliseconds. */
  timeoutMs: z.number().int().positive().default(60_000),
  /** Longest wait to open a connection to the provider; unset: bounded by timeoutMs. */
  connectTimeoutMs: z.number().int().positive().optional(),
  /** Longest gap between two stream chunks; defaults to timeoutMs. */
  streamIdleTimeoutMs: z.number().int().positive().optional(),
  /**
   * OpenAI-compatible servers only: the field they read the output limit from. `max_tokens` for
   * servers that ignore OpenAI's newer `max_completion_tokens` (Ollama always gets `max_tokens`).
   */
  maxTokensParam: z.enum(["max_completion_tokens", "max_tokens"]).optional(),
});

export const modelSchema = z.strictObject({
  id,
  provider: z.string(),
  upstreamModel: z.string().optional(),
  inputPerMillionUsd: usd.optional(),
  outputPerMillionUsd: usd.optional(),
  cachedInputPerMillionUsd: usd.optional(),
  /** Anthropic-style cache writes; defaults to the input price when the price table has none. */
  cacheWritePerMillionUsd: usd.optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
});

export const tierSchema = z.strictObject({
  id,
  /** Shown on the billing page; what the tier costs per month. */
  priceMonthlyUsd: usd.default(0),
  /** null: no hard cap (alerts only). */
  monthlyBudgetUsd: usd.nullable(),
  requestsPerMinute: z.number().int().positive(),
  tokensPerMinute: z.number().int().positive(),
  /** What the tier may call, in fallback order. */
  models: z.array(z.string()),
  /** Cap per end user (OpenAI's `user` field) within a tenant; absent: none. */
  perUserMonthlyBudgetUsd: usd.nullable().optional(),
  /** Budget alerts at these percentages of the cap. */
  alertThresholdsPercent: z.array(z.number().int().min(1).max(1000)).default([50, 80, 100]),
  /** Budget alerts at these month-to-date amounts, for tiers without a cap. */
  alertAmountsUsd: z.array(usd).default([]),
  /** A model outside the tier: "refuse" with 403, or "serve" it from the tier's own chain. */
  outsideTier: z.enum(["refuse", "serve"]).default("refuse"),
  /** Per-model chains that override the tier's order; an empty list never falls back. */
  fallbacks: z.record(z.string(), z.array(z.string())).default({}),
});

export const configSchema = z.strictObject({
  providers: z.array(providerSchema).min(1),
  models: z.array(modelSchema).min(1),
  defaultTier: z.string().optional(),
  tiers: z.array(tierSchema).min(1),
  routing: z
    .strictObject({
      /** Retries on the same model after a 429, 5xx or connection error, before falling back. */
      retries: z.number().int().min(0).max(5).default(1),
      /** First backoff between retries; doubled each time, with jitter. */
      retryBaseMs: z.number().int().min(0).default(250),
      /** A provider's retry-after up to this long is honoured; longer ones fall back at once. */
      maxRetryAfterMs: z.number().int().min(0).default(2000),
      /** The whole request, every attempt included, must finish its first byte within this. */
      deadlineMs: z.number().int().positive().default(120_000),
      /** Failures of one model within the window that put it into cooldown. */
      failureThreshold: z.number().int().positive().default(3),
      failureWindowMs: z.number().int().positive().default(30_000),
      /** How long a failing model is skipped by every instance. */
      cooldownMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  store: z
    .object({
      /**
       * When Redis cannot be reached: "open" lets each instance enforce the limits alone in
       * memory until it is back; "closed" refuses requests with 503.
       */
      onOutage: z.enum(["open", "closed"]).default("open"),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** Dashboard sign-ups per client address (X-Forwarded-For) per hour. */
      signUpsPerHour: z.number().int().positive().default(20),
      /** Sign-in attempts per email per 15 minutes, right or wrong. */
      signInAttemptsPer15Minutes: z.number().int().positive().default(10),
    })
    .prefault({}),
  server: z
    .object({
      /** Largest request body accepted, in bytes (8 MB by default). */
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(8 * 1024 * 1024),
    })
    .prefault({}),
});

export type RawConfig = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type TierConfig = z.infer<typeof tierSchema>;
