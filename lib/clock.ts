import { readFileSync, statSync } from "node:fs";

/**
 * The gateway's clock for budget periods and the ledger. `TOLLGATE_CLOCK_FILE` names a file
 * holding an offset in milliseconds, read again whenever it changes: tests use it to roll a
 * running server into the next month. Unset in production, where this is Date.now().
 */
const file = process.env.TOLLGATE_CLOCK_FILE;
let cached = { mtimeMs: -1, offset: 0 };

export function now(): number {
  if (!file) return Date.now();
  try {
    const { mtimeMs } = statSync(file);
    if (mtimeMs !== cached.mtimeMs)
      cached = { mtimeMs, offset: Number(readFileSync(file, "utf8")) || 0 };
  } catch {
    cached = { mtimeMs: -1, offset: 0 };
  }
  return Date.now() + cached.offset;
}

/** The budget month containing `at`, as "YYYY-MM" (UTC). */
export function monthOf(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}
