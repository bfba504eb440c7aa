/** Converts dollars as written in a config, a price table or a request to integer nano-dollars. */
export function usdToNano(usd: number): number {
  // Rounding absorbs binary float noise (0.15 * 1e9 = 150000000.00000003); dollar amounts here
  // have at most nine decimals, so nothing real is rounded away.
  return Math.round(usd * 1e9);
}

/** Formats nano-dollars as a decimal dollar string without float arithmetic ("0.000123"). */
export function nanoToUsdString(nano: number): string {
  const sign = nano < 0 ? "-" : "";
  const digits = Math.abs(nano).toString().padStart(10, "0");
  const whole = digits.slice(0, -9);
  const frac = digits.slice(-9).replace(/0+$/, "");
  return `${sign}${whole}${frac ? `.${frac}` : ""}`;
}

/** Nano-dollars as a JSON number of dollars, parsed from the exact decimal string. */
export function nanoToUsd(nano: number): number {
  return Number(nanoToUsdString(nano));
}

/** Dollars for people: "$0.10", "$12.50", and small amounts to their first significant digits
 * ("$0.00012"), never rounded to $0.00. */
export function formatUsd(nano: number): string {
  const exact = nanoToUsdString(Math.abs(nano));
  const [whole, frac = ""] = exact.split(".");
  const shown = frac.length <= 2 ? frac.padEnd(2, "0") : frac;
  return `${nano < 0 ? "-" : ""}$${whole}.${shown}`;
}
