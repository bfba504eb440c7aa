"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/ui/api";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { ErrorNote } from "@/components/ui/states";
import { buttonPrimary, input, label } from "@/components/ui/styles";

const optionalNumber = (value: FormDataEntryValue | null) =>
  value === null || String(value).trim() === "" ? undefined : Number(value);

/** Creates a key, then shows the whole key once with a copy button and a warning. */
export function CreateKeyForm({ tenantId }: { tenantId: string }) {
  const router = useRouter();
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(null);
    const result = await callApi<{ key: string; name: string }>(
      "POST",
      `/api/dashboard/tenants/${tenantId}/keys`,
      {
        name: String(form.get("name") ?? ""),
        requestsPerMinute: optionalNumber(form.get("requestsPerMinute")),
        tokensPerMinute: optionalNumber(form.get("tokensPerMinute")),
        monthlyBudgetUsd: optionalNumber(form.get("monthlyBudgetUsd")),
      },
    );
    setBusy(false);
    if (!result.ok) return setError(result.error);
    formElement.reset();
    setCreated(result.data);
    router.refresh();
  }

  if (created) {
    return (
      <SecretReveal
        title={`Your new key "${created.name}"`}
        secret={created.key}
        onDone={() => setCreated(null)}
      />
    );
  }
  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Create an API key">
      <div className="space-y-1.5">
        <label htmlFor="key-name" className={label}>
          Name
        </label>
        <input
          id="key-name"
          name="name"
          required
          maxLength={100}
          placeholder="backend, staging, Alice's laptop…"
          className={input}
        />
      </div>
      <details className="group rounded-md border border-zinc-200 px-3 py-2">
        <summary className="cursor-pointer text-sm text-zinc-600">
          Limits for this key (optional)
        </summary>
        <p className="mt-2 text-xs text-zinc-500">
          Leave empty to use the tier&apos;s limits. A key&apos;s own limits can only be lower.
        </p>
        <div className="mt-3 grid gap-3 sm:grid-cols-3">
          <NumberField name="requestsPerMinute" text="Requests per minute" step="1" />
          <NumberField name="tokensPerMinute" text="Tokens per minute" step="1" />
          <NumberField name="monthlyBudgetUsd" text="Monthly cap (USD)" step="0.01" />
        </div>
      </details>
      <ErrorNote message={error} />
      <button type="submit" className={buttonPrimary} disabled={busy}>
        {busy ? "Creating…" : "Create key"}
      </button>
    </form>
  );
}

function NumberField({ name, text, step }: { name: string; text: string; step: string }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={`key-${name}`} className={label}>
        {text}
      </label>
      <input id={`key-${name}`} name={name} type="number" min="0" step={step} className={input} />
    </div>
  );
}
