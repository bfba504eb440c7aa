"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api";
import { ErrorNote } from "@/components/ui/states";
import { buttonPrimary, buttonSecondary } from "@/components/ui/styles";
import type { TierChangeResult } from "@/lib/billing/change-tier";
import type { TierView } from "@/lib/billing/tiers";
import { formatCount, formatUsd } from "@/lib/dashboard/format";

/** The config's tiers side by side, the current one marked, with upgrade and downgrade. */
export function TierCards({
  tenantId,
  tiers,
  current,
  canChange,
  stripe,
}: {
  tenantId: string;
  tiers: TierView[];
  current: string;
  canChange: boolean;
  stripe: boolean;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const currentIndex = tiers.findIndex((t) => t.id === current);

  async function choose(tier: string) {
    setBusy(tier);
    setError(null);
    setNotice(null);
    const result = await callApi<TierChangeResult>(
      "POST",
      `/api/dashboard/tenants/${tenantId}/tier`,
      {
        tier,
      },
    );
    setBusy(null);
    if (!result.ok) return setError(result.error);
    if (result.data.status === "checkout") {
      window.location.assign(result.data.url);
      return;
    }
    setNotice(
      result.data.status === "pending"
        ? `Stripe is updating your subscription; the ${tier} tier applies as soon as it confirms.`
        : `You are now on the ${tier} tier. It applies to your next API request.`,
    );
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <div aria-live="polite">
        {notice ? (
          <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{notice}</p>
        ) : null}
      </div>
      <ErrorNote message={error} />
      <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {tiers.map((tier, index) => {
          const isCurrent = tier.id === current;
          const upgrade = index > currentIndex;
          return (
            <li
              key={tier.id}
              aria-current={isCurrent ? "true" : undefined}
              data-testid={`tier-${tier.id}`}
              className={`flex flex-col rounded-lg border bg-white p-5 shadow-sm ${
                isCurrent ? "border-zinc-900 ring-1 ring-zinc-900" : "border-zinc-200"
              }`}
            >
              <div className="flex items-center justify-between">
                <h3 className="text-base font-semibold capitalize text-zinc-900">{tier.id}</h3>
                {isCurrent ? (
                  <span className="rounded-full bg-zinc-900 px-2 py-0.5 text-xs text-white">
                    Current
                  </span>
                ) : null}
              </div>
              <p className="mt-3">
                <span className="text-3xl font-semibold text-zinc-900">
                  ${tier.priceMonthlyUsd}
                </span>
                <span className="text-sm text-zinc-500"> / month</span>
              </p>
              <dl className="mt-4 space-y-2 text-sm">
                <Row term="Monthly cap">
                  {tier.monthlyBudgetNanoUsd === null
                    ? "No hard cap"
                    : formatUsd(tier.monthlyBudgetNanoUsd)}
                </Row>
                <Row term="Requests / min">{formatCount(tier.requestsPerMinute)}</Row>
                <Row term="Tokens / min">{formatCount(tier.tokensPerMinute)}</Row>
              </dl>
              <p className="mt-4 text-xs font-medium uppercase tracking-wide text-zinc-500">
                Models
              </p>
              <ul className="mt-2 flex flex-wrap gap-1.5" aria-label={`Models on ${tier.id}`}>
                {tier.models.map((m) => (
                  <li
                    key={m}
                    className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700"
                  >
                    {m}
                  </li>
                ))}
              </ul>
              <div className="mt-auto pt-5">
                {isCurrent ? (
                  <p className="text-sm text-zinc-500">Your current tier</p>
                ) : (
                  <button
                    type="button"
                    disabled={!canChange || busy !== null}
                    onClick={() => void choose(tier.id)}
                    className={`${upgrade ? buttonPrimary : buttonSecondary} w-full`}
                  >
                    {busy === tier.id
                      ? "Working…"
                      : `${upgrade ? "Upgrade" : "Downgrade"} to ${tier.id}${
                          stripe && upgrade && tier.priceMonthlyUsd > 0 ? " · pay with Stripe" : ""
                        }`}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-3">
      <dt className="text-zinc-500">{term}</dt>
      <dd className="font-medium tabular-nums text-zinc-900">{children}</dd>
    </div>
  );
}
