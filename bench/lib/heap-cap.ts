import { type Figure, measure, type Plan, SCENARIOS, warmUp } from "./measure";
import { stopServer } from "./proc";
import { asTarget, type Backing, startTollgate, type Tollgate } from "./tollgate";

/** The old-generation cap tried: Node's default lets the heap grow to gigabytes. */
export const HEAP_CAP_MB = 192;

/**
 * What bounds the RSS: the same Tollgate started with V8's old generation capped, measured
 * interleaved with the default at 50 connections. Garbage, not live data, fills the default heap.
 */
export async function measureHeapCap(
  backing: Backing,
  tollgate: Tollgate,
  logDir: string,
  warmupRequests: number,
  plan: Plan,
  say: (line: string) => void,
): Promise<Figure[]> {
  const server = await startTollgate(backing, "tollgate-heap-cap", logDir, {
    nodeArgs: [`--max-old-space-size=${HEAP_CAP_MB}`],
  });
  try {
    const capped = await asTarget(
      backing,
      server,
      "tollgate-redis-capped",
      `Tollgate (Redis + Postgres), heap capped at ${HEAP_CAP_MB} MB`,
    );
    await warmUp([capped], warmupRequests);
    const at50 = SCENARIOS.filter((s) => s.connections === 50);
    return await measure([tollgate, capped], at50, plan, say);
  } finally {
    await stopServer(server);
  }
}
