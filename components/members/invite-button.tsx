"use client";

import { useState } from "react";
import { callApi } from "@/components/ui/api";
import { CopyButton } from "@/components/ui/copy-button";
import { ErrorNote } from "@/components/ui/states";
import { buttonPrimary } from "@/components/ui/styles";

/** Creates an invite link and shows it with a copy button; each link lets one person join. */
export function InviteButton({ tenantId }: { tenantId: string }) {
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    const result = await callApi<{ path: string }>(
      "POST",
      `/api/dashboard/tenants/${tenantId}/invites`,
    );
    if (!result.ok) return setError(result.error);
    setError(null);
    setLink(`${window.location.origin}${result.data.path}`);
  }

  return (
    <div className="space-y-3">
      <button type="button" className={buttonPrimary} onClick={() => void create()}>
        Create invite link
      </button>
      <ErrorNote message={error} />
      {link ? (
        <div className="space-y-2 rounded-md border border-zinc-200 bg-zinc-50 p-3">
          <p className="text-sm text-zinc-700">
            Send this link to one person. It works once, for 7 days, and makes them a member.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="min-w-0 flex-1 break-all rounded border border-zinc-200 bg-white px-2 py-1.5 font-mono text-xs">
              {link}
            </code>
            <CopyButton value={link} />
          </div>
        </div>
      ) : null}
    </div>
  );
}
