import type { ReactNode } from "react";

/** One number with its label, for the overview's top row. */
export function Stat({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white px-5 py-4 shadow-sm">
      <dt className="text-sm text-zinc-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums text-zinc-900" data-testid={testId}>
        {value}
      </dd>
      {detail ? <dd className="mt-1 text-xs text-zinc-500">{detail}</dd> : null}
    </div>
  );
}
