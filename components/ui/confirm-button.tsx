"use client";

import { useRef, useState } from "react";
import { buttonDanger, buttonSecondary } from "./styles";

/**
 * A destructive action behind a confirmation dialog (the native <dialog>, so focus and Escape
 * work for keyboard and screen-reader users).
 */
export function ConfirmButton({
  label,
  title,
  body,
  confirmLabel,
  onConfirm,
  className = "text-sm font-medium text-red-600 hover:text-red-500",
}: {
  label: string;
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => Promise<string | null>;
  className?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useRef(`confirm-${Math.random().toString(36).slice(2)}`).current;

  async function confirm() {
    setBusy(true);
    const failure = await onConfirm();
    setBusy(false);
    setError(failure);
    if (!failure) dialog.current?.close();
  }

  return (
    <>
      <button type="button" className={className} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-md rounded-lg border border-zinc-200 p-6 shadow-xl backdrop:bg-zinc-900/40"
      >
        <h2 id={titleId} className="text-base font-semibold text-zinc-900">
          {title}
        </h2>
        <p className="mt-2 text-sm text-zinc-600">{body}</p>
        {error ? (
          <p role="alert" className="mt-3 text-sm text-red-600">
            {error}
          </p>
        ) : null}
        <div className="mt-6 flex justify-end gap-2">
          <button type="button" className={buttonSecondary} onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="button"
            className={buttonDanger}
            disabled={busy}
            onClick={() => void confirm()}
          >
            {busy ? "Working…" : confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
