import { nanoToUsdString } from "@/lib/pricing/units";

const NANO_PER_CENT = 10_000_000;

/**
 * Dollars for people: cents from one cent up ("$1,234.56"), and below a cent two significant
 * digits, truncated, so that small spend never reads as "$0.00" ("$0.00012"). Exact zero is
 * "$0.00". Works on the integer nano-dollars, never on floats.
 */
export function formatUsd(nano: number): string {
  if (nano === 0) return "$0.00";
  const sign = nano < 0 ? "-" : "";
  const abs = Math.abs(nano);
  if (abs < NANO_PER_CENT) {
    const [, frac = ""] = nanoToUsdString(abs).split(".");
    const firstDigit = frac.search(/[1-9]/);
    return `${sign}$0.${frac.slice(0, firstDigit + 2).replace(/0+$/, "")}`;
  }
  const cents = Math.round(abs / NANO_PER_CENT);
  const dollars = Math.floor(cents / 100).toLocaleString("en-US");
  return `${sign}$${dollars}.${String(cents % 100).padStart(2, "0")}`;
}

/** The exact amount, for tooltips and CSV: every nano-dollar ("0.000123456"). */
export function formatUsdExact(nano: number): string {
  return `$${nanoToUsdString(nano)}`;
}

/** Token and request counts with thousands separators; compact ("1.2M") for chart axes. */
export function formatCount(n: number, compact = false): string {
  return n.toLocaleString("en-US", compact ? { notation: "compact" } : {});
}

/** A UTC day "2026-12-03" as "Dec 3". */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
}

/** A timestamp as "Dec 3, 14:05:09 UTC": the dashboard speaks UTC, like the budget period. */
export function formatTime(at: Date | string): string {
  const d = typeof at === "string" ? new Date(at) : at;
  return `${d.toLocaleString("en-US", {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
    timeZone: "UTC",
  })} UTC`;
}

/** "2 minutes ago"-style text for last-used columns; null reads "Never". */
export function formatAgo(at: Date | string | null, now = new Date()): string {
  if (!at) return "Never";
  const seconds = Math.round((now.getTime() - new Date(at).getTime()) / 1000);
  if (seconds < 60) return "Just now";
  const units: Array<[number, string]> = [
    [86_400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, unit] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${unit}${n === 1 ? "" : "s"} ago`;
  }
  return "Just now";
}

/** Chart axis labels: three significant digits, so ticks $0.0125 apart stay distinct. */
export function formatUsdAxis(nano: number): string {
  if (nano === 0) return "$0";
  return `$${(nano / 1e9).toLocaleString("en-US", { maximumSignificantDigits: 3 })}`;
}
