import { gatewayConfig } from "../helpers/configs";
import type { Tollgate } from "../helpers/tollgate";

/** gpt-4o in the test config: $2.50 and $10 per million tokens, in nano-dollars per token. */
export const IN = 2500;
export const OUT = 10_000;
/** The prompt "hi" counts 8 tokens; its bound for reservations is ceil(8 × 1.15) + 32 = 42. */
export const PROMPT = 8;
export const PROMPT_BOUND = 42;
/** A call with max_tokens 100 reserves 1,105,000 nano-dollars and, answered in full, costs 1,020,000. */
export const RESERVED = PROMPT_BOUND * IN + 100 * OUT;
export const CHARGED = PROMPT * IN + 100 * OUT;

/** The shared test config with a free local model and a tier whose cap is a millionth of a dollar. */
export function budgetConfig(openai: string) {
  const config = gatewayConfig({ openai, ollama: openai });
  return {
    ...config,
    tiers: [
      ...config.tiers,
      {
        id: "tiny",
        monthlyBudgetUsd: 0.000001,
        requestsPerMinute: 1000,
        tokensPerMinute: 1_000_000,
        models: ["gpt-4o", "llama3.1"],
        fallbacks: { "gpt-4o": [], "llama3.1": [] },
      },
      {
        id: "per-user",
        monthlyBudgetUsd: 10,
        // Pays for two calls per end user.
        perUserMonthlyBudgetUsd: (2 * RESERVED) / 1e9,
        requestsPerMinute: 1000,
        tokensPerMinute: 1_000_000,
        models: ["gpt-4o"],
        fallbacks: { "gpt-4o": [] },
      },
    ],
  };
}

export function chat(url: string, key: string, body: object = {}) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "gpt-4o",
      max_tokens: 100,
      messages: [{ role: "user", content: "hi" }],
      ...body,
    }),
  });
}

export async function usage(url: string, key: string) {
  const res = await fetch(`${url}/v1/usage`, { headers: { authorization: `Bearer ${key}` } });
  return (await res.json()) as {
    spendNanoUsd: number;
    requests: number;
    budgetUsd: number | null;
    periodStart: string;
  };
}

/** Ledger against counter for one tenant, once settlements (off the request path) have landed. */
export async function reconciled(gateway: Tollgate, tenantId: string) {
  await new Promise((r) => setTimeout(r, 300));
  const res = await gateway.admin("GET", `/api/admin/reconcile?tenantId=${tenantId}`);
  const body = (await res.json()) as {
    tenants: Array<{
      ledgerNanoUsd: number;
      counterNanoUsd: number | null;
      differenceNanoUsd: number | null;
    }>;
  };
  return body.tenants[0];
}

/** The 402 a capped tenant gets; the amounts vary with what is in flight, the shape does not. */
export const BUDGET_MESSAGE =
  /^Your workspace's monthly budget of \$[0-9.]+ is used up: \$[0-9.]+ spent or reserved this month, and this request may cost up to \$0\.001105\. The budget resets on \d{4}-\d{2}-01 \(UTC\)\. Upgrade the tier at \/dashboard\/billing, ask for a higher cap, or use a cheaper model\.$/;
