"use client";

import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { callApi } from "@/components/ui/api";

/** The workspace switcher and the signed-in person, with sign-out. */
export function AccountMenu({
  email,
  current,
  workspaces,
}: {
  email: string;
  current: string;
  workspaces: Array<{ id: string; name: string; tier: string }>;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);

  async function switchTo(tenantId: string) {
    setBusy(true);
    const result = await callApi("POST", "/api/dashboard/current-tenant", { tenantId });
    setBusy(false);
    if (result.ok) router.refresh();
  }

  return (
    <div className="flex items-center gap-3">
      <label htmlFor="workspace-switcher" className="sr-only">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        value={current}
        disabled={busy || workspaces.length < 2}
        onChange={(e) => void switchTo(e.target.value)}
        className="max-w-48 truncate rounded-md border border-zinc-300 bg-white py-1.5 pl-2 pr-7 text-sm text-zinc-900 disabled:opacity-100"
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.tier})
          </option>
        ))}
      </select>
      <span className="hidden text-sm text-zinc-500 md:inline">{email}</span>
      <button
        type="button"
        onClick={() => void signOut({ callbackUrl: "/signin" })}
        className="rounded-md px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"
      >
        Sign out
      </button>
    </div>
  );
}
