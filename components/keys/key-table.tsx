"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { input } from "@/components/ui/styles";
import { formatAgo, formatCount, formatTime, formatUsd } from "@/lib/dashboard/format";
import type { KeyListItem } from "@/lib/dashboard/keys";

/** The tenant's keys: name (renamable), prefix, dates, month spend, limits, and revoke. */
export function KeyTable({
  keys,
  apiBase,
  now,
  canRename = true,
}: {
  keys: KeyListItem[];
  /** Operators revoke keys of any tenant but leave names to the tenant. */
  canRename?: boolean;
  /** `/api/dashboard/tenants/{id}/keys` or the operator's route. */
  apiBase: string;
  now: string;
}) {
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">API keys</caption>
        <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Key
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Created
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Last used
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Spend this month
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Limits
            </th>
            <th scope="col" className="px-5 py-2 text-right font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {keys.map((key) => (
            <KeyRow
              key={key.id}
              item={key}
              apiBase={apiBase}
              now={new Date(now)}
              canRename={canRename}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function KeyRow({
  item,
  apiBase,
  now,
  canRename,
}: {
  item: KeyListItem;
  apiBase: string;
  now: Date;
  canRename: boolean;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoked = item.revokedAt !== null;

  async function rename(name: string) {
    const result = await callApi("PATCH", `${apiBase}/${item.id}`, { name });
    if (!result.ok) return setError(result.error);
    setEditing(false);
    setError(null);
    router.refresh();
  }

  const limits = [
    item.requestsPerMinute ? `${formatCount(item.requestsPerMinute)} req/min` : null,
    item.tokensPerMinute ? `${formatCount(item.tokensPerMinute)} tok/min` : null,
    item.monthlyBudgetNanoUsd !== null ? `${formatUsd(item.monthlyBudgetNanoUsd)}/mo` : null,
  ].filter(Boolean);

  return (
    <tr
      className={revoked ? "text-zinc-400" : "text-zinc-900"}
      data-testid={`key-row-${item.name}`}
    >
      <td className="px-5 py-3">
        {editing ? (
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              void rename(String(new FormData(e.currentTarget).get("name") ?? ""));
            }}
          >
            <label htmlFor={`rename-${item.id}`} className="sr-only">
              New name for {item.name}
            </label>
            <input
              id={`rename-${item.id}`}
              name="name"
              defaultValue={item.name}
              className={`${input} py-1`}
              maxLength={100}
              required
            />
            <button type="submit" className="text-sm font-medium text-zinc-900">
              Save
            </button>
            <button
              type="button"
              className="text-sm text-zinc-500"
              onClick={() => setEditing(false)}
            >
              Cancel
            </button>
          </form>
        ) : (
          <span className="whitespace-nowrap font-medium">{item.name}</span>
        )}
        {revoked ? (
          <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-500">
            Revoked
          </span>
        ) : null}
        {error ? (
          <p role="alert" className="mt-1 text-xs text-red-600">
            {error}
          </p>
        ) : null}
      </td>
      <td className="px-3 py-3 font-mono text-xs">{item.prefix}…</td>
      <td className="px-3 py-3 whitespace-nowrap" title={formatTime(item.createdAt)}>
        {formatAgo(item.createdAt, now)}
      </td>
      <td
        className="px-3 py-3 whitespace-nowrap"
        title={item.lastUsedAt ? formatTime(item.lastUsedAt) : undefined}
      >
        {formatAgo(item.lastUsedAt, now)}
      </td>
      <td className="px-3 py-3 text-right tabular-nums">{formatUsd(item.monthSpendNanoUsd)}</td>
      <td className="px-3 py-3 text-xs text-zinc-500">
        {limits.length ? limits.join(" · ") : "Tier's"}
      </td>
      <td className="px-5 py-3 text-right whitespace-nowrap">
        {revoked ? null : (
          <div className="flex justify-end gap-4">
            {canRename ? (
              <button
                type="button"
                className="text-sm font-medium text-zinc-600 hover:text-zinc-900"
                onClick={() => setEditing(true)}
                aria-label={`Rename ${item.name}`}
              >
                Rename
              </button>
            ) : null}
            <ConfirmButton
              label="Revoke"
              title={`Revoke "${item.name}"?`}
              body="Apps using this key get 401 from their next request. This cannot be undone."
              confirmLabel="Revoke key"
              onConfirm={async () => {
                const result = await callApi("DELETE", `${apiBase}/${item.id}`);
                if (!result.ok) return result.error;
                router.refresh();
                return null;
              }}
            />
          </div>
        )}
      </td>
    </tr>
  );
}
