"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi } from "@/components/ui/api";
import { ErrorNote } from "@/components/ui/states";
import { buttonPrimary } from "@/components/ui/styles";

export function AcceptInviteButton({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function accept() {
    setBusy(true);
    const result = await callApi("POST", `/api/dashboard/invites/${encodeURIComponent(token)}`);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    router.push("/dashboard");
    router.refresh();
  }
  return (
    <div className="space-y-3">
      <ErrorNote message={error} />
      <button
        type="button"
        className={`${buttonPrimary} w-full`}
        disabled={busy}
        onClick={() => void accept()}
      >
        {busy ? "Joining…" : "Join workspace"}
      </button>
    </div>
  );
}
