/**
 * Counts the calls in flight so that a shutdown can wait for them (streams included) before the
 * usage queue is flushed for the last time, and knows whether the process is draining. Kept on
 * globalThis for the same reason as the runtime: every Next.js bundle must see one state.
 */
const state = globalThis as unknown as {
  __tollgateInflight?: {
    count: number;
    draining: boolean;
    waiters: Array<() => void>;
    cuts: Set<() => void>;
  };
};
state.__tollgateInflight ??= { count: 0, draining: false, waiters: [], cuts: new Set() };
const inflight = state.__tollgateInflight;

/**
 * Marks a call as started; the returned function marks it done (calling it twice is harmless).
 * `cut`, when given, is how to end the call early if it is still running at the shutdown deadline
 * (abort its upstream request, so that it settles for what it used instead of being lost).
 */
export function trackCall(cut?: () => void): () => void {
  inflight.count += 1;
  if (cut) inflight.cuts.add(cut);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (cut) inflight.cuts.delete(cut);
    inflight.count -= 1;
    if (inflight.count === 0) for (const wake of inflight.waiters.splice(0)) wake();
  };
}

/** Ends every call still in flight that said how (see trackCall); returns how many were cut. */
export function cutCallsInFlight(): number {
  const cuts = [...inflight.cuts];
  inflight.cuts.clear();
  for (const cut of cuts) cut();
  return cuts.length;
}

/** How many calls are in flight now. */
export function callsInFlight(): number {
  return inflight.count;
}

/**
 * Whether a shutdown has begun: new API requests are then refused with 503 `shutting_down` (the
 * load balancer retries them elsewhere) while the calls already in flight finish.
 */
export function isDraining(): boolean {
  return inflight.draining;
}

/** Starts draining; from now on isDraining() is true and /api/ready answers 503. */
export function beginDrain(): void {
  inflight.draining = true;
}

/** Resolves when no call is in flight, or after `deadlineMs`, whichever comes first. */
export function callsDrained(deadlineMs: number): Promise<number> {
  if (inflight.count === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(inflight.count), deadlineMs);
    inflight.waiters.push(() => {
      clearTimeout(timer);
      resolve(0);
    });
  });
}
