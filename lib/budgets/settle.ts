import type { Logger } from "@/lib/log";
import type { Runtime } from "@/lib/runtime";
import { withStore } from "@/lib/store";
import { runScript } from "@/lib/store/run-script";
import type { Reservation } from "./reserve";
import { settleScript } from "./scripts";

/** The tenant counter around one settlement, for alert thresholds. */
export interface SettledSpend {
  beforeNanoUsd: number;
  afterNanoUsd: number;
  /** null: uncapped. */
  capNanoUsd: number | null;
}

/**
 * Replaces a reservation with the call's actual cost (0 for a failed call: the hold is released).
 * The ledger row is written by the usage recorder; this keeps the store's counter in step with it.
 */
export async function settleBudget(
  runtime: Runtime,
  reservation: Reservation,
  actualNanoUsd: number,
): Promise<SettledSpend> {
  const keys = reservation.counters.map((c) => c.key);
  const args = [String(reservation.reservedNanoUsd), String(actualNanoUsd), ...reservation.epochs];
  const [before, after] = await withStore(runtime.store, (redis) =>
    runScript<number[]>(redis, settleScript, keys, args),
  );
  const cap = reservation.counters[0]?.capNanoUsd ?? null;
  return { beforeNanoUsd: Number(before), afterNanoUsd: Number(after), capNanoUsd: cap };
}

/** Settles off the request's path; a failure is logged and leaves the reservation counted. */
export async function settleBudgetLater(
  runtime: Runtime,
  reservation: Reservation,
  actualNanoUsd: number,
  log: Logger | null,
  then?: (spend: SettledSpend) => Promise<void>,
): Promise<void> {
  try {
    const spend = await settleBudget(runtime, reservation, actualNanoUsd);
    await then?.(spend);
  } catch (err) {
    log?.error({ err }, "budget settlement failed; the reservation stays counted");
  }
}
