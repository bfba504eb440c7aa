"use client";

import { buttonSecondary } from "@/components/ui/styles";

/** Shown when a dashboard page fails to load: no raw error, a way to retry, and the digest. */
export default function DashboardError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-white p-8 text-center">
      <h1 className="text-lg font-semibold text-zinc-900">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-zinc-500">
        Tollgate could not read this data just now. Retry; if it keeps failing, give the operator
        this reference: <code className="font-mono">{error.digest ?? "none"}</code>.
      </p>
      <button type="button" onClick={reset} className={`${buttonSecondary} mt-6`}>
        Retry
      </button>
    </div>
  );
}
