/** One limit's state after admission, as OpenAI's x-ratelimit-* headers describe it. */
export interface LimitState {
  scope: "key" | "tenant";
  kind: "requests" | "tokens";
  limit: number;
  remaining: number;
  /** Epoch ms when the current window ends. */
  reset: number;
}

/** OpenAI writes durations like "1s", "6m0s", "120ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/** The tighter of the key's and the tenant's limit of one kind: the one with less headroom. */
export function binding(states: LimitState[], kind: LimitState["kind"]): LimitState | undefined {
  return states
    .filter((s) => s.kind === kind)
    .sort((a, b) => a.remaining - b.remaining || a.limit - b.limit)[0];
}

/** `x-ratelimit-*` headers for the binding request and token limits. */
export function rateLimitHeaders(states: LimitState[], now = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ["requests", "tokens"] as const) {
    const state = binding(states, kind);
    if (!state) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(state.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(Math.max(0, state.remaining));
    headers[`x-ratelimit-reset-${kind}`] = formatDuration(state.reset - now);
  }
  return headers;
}
