"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/ui/api";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { EmptyState, ErrorNote } from "@/components/ui/states";
import { buttonPrimary, buttonSecondary, input, label } from "@/components/ui/styles";

/** Webhooks, thresholds and the signing secret; each change is one call and a refresh. */
export function AlertSettingsForms({
  tenantId,
  webhooks,
  thresholdsPercent,
  secretHint,
  canEdit,
}: {
  tenantId: string;
  webhooks: Array<{ id: string; url: string }>;
  thresholdsPercent: number[];
  secretHint: string | null;
  canEdit: boolean;
}) {
  const router = useRouter();
  const base = `/api/dashboard/tenants/${tenantId}/alerts`;
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  async function addWebhook(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const url = String(new FormData(form).get("url") ?? "");
    const result = await callApi<{ signingSecret: string | null }>("POST", `${base}/webhooks`, {
      url,
    });
    if (!result.ok) return setError(result.error);
    setError(null);
    form.reset();
    if (result.data.signingSecret) setSecret(result.data.signingSecret);
    router.refresh();
  }

  async function saveThresholds(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get("thresholds") ?? "");
    const values = text
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((v) => Number(v.replace("%", "")));
    const result = await callApi("PUT", `${base}/thresholds`, { thresholdsPercent: values });
    if (!result.ok) return setError(result.error);
    setError(null);
    setSaved("Thresholds saved.");
    router.refresh();
  }

  async function rotate(): Promise<string | null> {
    const result = await callApi<{ signingSecret: string }>("POST", `${base}/secret`);
    if (!result.ok) return result.error;
    setSecret(result.data.signingSecret);
    router.refresh();
    return null;
  }

  return (
    <div className="space-y-6">
      <ErrorNote message={error} />
      {secret ? (
        <SecretReveal
          title="Your webhook signing secret"
          secret={secret}
          onDone={() => setSecret(null)}
        />
      ) : null}
      <Card
        title="Webhooks"
        description="Tollgate POSTs a signed JSON alert to each URL when spend crosses a threshold."
      >
        {webhooks.length === 0 ? (
          <EmptyState title="No webhooks yet">Add a URL to receive budget alerts.</EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100">
            {webhooks.map((w) => (
              <li key={w.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                <code className="truncate font-mono text-zinc-900">{w.url}</code>
                {canEdit ? (
                  <ConfirmButton
                    label="Remove"
                    title="Remove this webhook?"
                    body={`Alerts stop going to ${w.url}.`}
                    confirmLabel="Remove webhook"
                    onConfirm={async () => {
                      const result = await callApi("DELETE", `${base}/webhooks/${w.id}`);
                      if (!result.ok) return result.error;
                      router.refresh();
                      return null;
                    }}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {canEdit ? (
          <form onSubmit={addWebhook} className="mt-4 flex flex-wrap items-end gap-2">
            <div className="min-w-64 flex-1 space-y-1.5">
              <label htmlFor="webhook-url" className={label}>
                Webhook URL
              </label>
              <input
                id="webhook-url"
                name="url"
                type="url"
                required
                placeholder="https://example.com/hooks/tollgate"
                className={input}
              />
            </div>
            <button type="submit" className={buttonPrimary}>
              Add webhook
            </button>
          </form>
        ) : null}
      </Card>
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Thresholds" description="Percent of the monthly cap. Each fires once a month.">
          <form onSubmit={saveThresholds} className="space-y-3">
            <label htmlFor="thresholds" className={label}>
              Thresholds (%)
            </label>
            <input
              id="thresholds"
              name="thresholds"
              defaultValue={thresholdsPercent.join(", ")}
              className={input}
              disabled={!canEdit}
              aria-describedby="thresholds-hint"
            />
            <p id="thresholds-hint" className="text-xs text-zinc-500">
              Comma-separated, for example 50, 80, 100.
            </p>
            <p aria-live="polite" className="text-sm text-emerald-700">
              {saved}
            </p>
            {canEdit ? (
              <button type="submit" className={buttonSecondary}>
                Save thresholds
              </button>
            ) : null}
          </form>
        </Card>
        <Card
          title="Signing secret"
          description="Each delivery is signed with it; verify the signature before trusting an alert."
        >
          <p className="text-sm text-zinc-700">
            {secretHint ? (
              <>
                Current secret: <code className="font-mono">{secretHint}</code>
              </>
            ) : (
              "No secret yet: it is created with your first webhook."
            )}
          </p>
          {canEdit ? (
            <div className="mt-4">
              <ConfirmButton
                label={secretHint ? "Rotate secret" : "Create secret"}
                className={buttonSecondary}
                title="Rotate the signing secret?"
                body="Deliveries are signed with the new secret from now on; receivers checking the old one will reject them until updated."
                confirmLabel="Rotate"
                onConfirm={rotate}
              />
            </div>
          ) : null}
        </Card>
      </div>
    </div>
  );
}
