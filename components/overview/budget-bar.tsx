import { formatUsd } from "@/lib/dashboard/format";

/** Month-to-date spend against the cap, as a progress bar with the reset date. */
export function BudgetBar({
  spendNanoUsd,
  budgetNanoUsd,
  resetsAt,
}: {
  spendNanoUsd: number;
  budgetNanoUsd: number | null;
  resetsAt: string;
}) {
  const resetDay = new Date(resetsAt).toLocaleDateString("en-US", {
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });
  if (budgetNanoUsd === null) {
    return (
      <div>
        <p className="text-3xl font-semibold tabular-nums text-zinc-900" data-testid="month-spend">
          {formatUsd(spendNanoUsd)}
        </p>
        <p className="mt-2 text-sm text-zinc-500">
          No hard cap on this tier. The month resets on {resetDay}.
        </p>
      </div>
    );
  }
  const used = budgetNanoUsd === 0 ? 100 : (spendNanoUsd / budgetNanoUsd) * 100;
  // The bar stops at full; the text says how far over the cap spend went.
  const percent = Math.min(100, used);
  const color = percent >= 100 ? "bg-red-600" : percent >= 80 ? "bg-amber-500" : "bg-zinc-900";
  return (
    <div>
      <p className="flex flex-wrap items-baseline gap-2">
        <span
          className="text-3xl font-semibold tabular-nums text-zinc-900"
          data-testid="month-spend"
        >
          {formatUsd(spendNanoUsd)}
        </span>
        <span className="text-sm text-zinc-500">of {formatUsd(budgetNanoUsd)} cap</span>
      </p>
      <div
        role="progressbar"
        aria-label="Monthly budget used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent)}
        aria-valuetext={`${formatUsd(spendNanoUsd)} of ${formatUsd(budgetNanoUsd)}, ${percent.toFixed(1)}%`}
        className="mt-3 h-2 w-full overflow-hidden rounded-full bg-zinc-100"
      >
        <div
          className={`h-full rounded-full ${color}`}
          style={{ width: `${Math.max(percent, spendNanoUsd > 0 ? 1 : 0)}%` }}
        />
      </div>
      <p className="mt-2 text-sm text-zinc-500">
        {percentText(used, spendNanoUsd)} used · resets on {resetDay} (UTC)
      </p>
    </div>
  );
}

/** "12.5%", "0.25%", and "<0.01%" for spend too small to show as a percentage but not zero. */
function percentText(percent: number, spendNanoUsd: number): string {
  if (spendNanoUsd > 0 && percent < 0.01) return "<0.01%";
  return `${percent.toFixed(percent < 10 ? 2 : 1)}%`;
}
