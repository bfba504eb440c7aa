/**
 * Counts the calls in flight so that a shutdown can wait for them (streams included) before the
 * usage queue is flushed for the last time. Kept on globalThis for the same reason as the runtime:
 * every Next.js bundle must see one counter.
 */
const state = globalThis as unknown as {
  __tollgateInflight?: { count: number; waiters: Array<() => void> };
};
const inflight = (state.__tollgateInflight ??= { count: 0, waiters: [] });

/** Marks a call as started; the returned function marks it done (calling it twice is harmless). */
export function trackCall(): () => void {
  inflight.count += 1;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    inflight.count -= 1;
    if (inflight.count === 0) for (const wake of inflight.waiters.splice(0)) wake();
  };
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
