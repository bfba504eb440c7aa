"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/ui/api";
import { ErrorNote } from "@/components/ui/states";
import { buttonPrimary, input, label } from "@/components/ui/styles";

/** The operator's controls for one tenant: its tier and its cap (its own, none, or its tier's). */
export function TenantForm({
  tenantId,
  tiers,
  tier,
  budgetUsd,
  overridden,
}: {
  tenantId: string;
  tiers: string[];
  tier: string;
  /** The cap in force, in dollars; null: uncapped. */
  budgetUsd: number | null;
  /** The tenant has a cap of its own rather than its tier's. */
  overridden: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const cap = String(form.get("cap") ?? "").trim();
    const body: { tier: string; monthlyBudgetUsd?: number | null | "tier" } = {
      tier: String(form.get("tier")),
    };
    if (form.get("followTier") === "on") body.monthlyBudgetUsd = "tier";
    else if (form.get("uncapped") === "on") body.monthlyBudgetUsd = null;
    else if (cap !== "" && Number(cap) !== budgetUsd) body.monthlyBudgetUsd = Number(cap);
    const result = await callApi("PATCH", `/api/dashboard/operator/tenants/${tenantId}`, body);
    if (!result.ok) return setError(result.error);
    setError(null);
    setSaved("Saved. It applies to the tenant's next request.");
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Tenant tier and cap">
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1.5">
          <label htmlFor="tier" className={label}>
            Tier
          </label>
          <select id="tier" name="tier" defaultValue={tier} className={input}>
            {tiers.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1.5">
          <label htmlFor="cap" className={label}>
            Monthly cap (USD)
          </label>
          <input
            id="cap"
            name="cap"
            type="number"
            min="0"
            step="0.01"
            defaultValue={budgetUsd ?? ""}
            className={input}
          />
        </div>
      </div>
      <label className="flex items-center gap-2 text-sm text-zinc-700">
        <input type="checkbox" name="uncapped" defaultChecked={budgetUsd === null} />
        No hard cap
      </label>
      {overridden ? (
        <label className="flex items-center gap-2 text-sm text-zinc-700">
          <input type="checkbox" name="followTier" />
          Use the tier&apos;s cap instead of this tenant&apos;s own
        </label>
      ) : null}
      <ErrorNote message={error} />
      <p aria-live="polite" className="text-sm text-emerald-700">
        {saved}
      </p>
      <button type="submit" className={buttonPrimary}>
        Save
      </button>
    </form>
  );
}
