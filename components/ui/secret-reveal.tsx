"use client";

import { CopyButton } from "./copy-button";

/** A secret shown once: the value, a copy button and the warning that it will not be shown again. */
export function SecretReveal({
  title,
  secret,
  onDone,
}: {
  title: string;
  secret: string;
  onDone: () => void;
}) {
  return (
    <section
      aria-label={title}
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
    >
      <p className="text-sm font-semibold text-amber-900">{title}</p>
      <p className="text-sm text-amber-800">
        Copy it now and keep it somewhere safe. It will not be shown again; if it is lost, create a
        new one.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="secret-value"
          className="min-w-0 flex-1 break-all rounded-md border border-amber-200 bg-white px-3 py-2 font-mono text-sm text-zinc-900"
        >
          {secret}
        </code>
        <CopyButton value={secret} />
      </div>
      <button
        type="button"
        onClick={onDone}
        className="text-sm font-medium text-amber-900 underline underline-offset-4"
      >
        I have saved it
      </button>
    </section>
  );
}
