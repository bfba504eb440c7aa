import { ConfigError } from "@/lib/config/load";
import { beginDrain, callsDrained, cutCallsInFlight } from "@/lib/lifecycle";
import { logger } from "@/lib/log";
import { stopTracing } from "@/lib/observability/tracing";
import { getRuntime, type Runtime, shutdownRuntime } from "@/lib/runtime";
import { ensureDemoTenant } from "@/lib/tenants/demo";
import { retentionPolicy, scheduleRetention } from "@/lib/usage/retention";

/** How long a shutdown waits for calls in flight (open streams) before flushing and exiting. */
const SHUTDOWN_DEADLINE_MS = Number(process.env.TOLLGATE_SHUTDOWN_DEADLINE_MS ?? 15_000);
/** How long calls cut at the deadline get to settle before the last flush. */
const CUT_GRACE_MS = 2_000;

/**
 * Start-up: fail fast on a bad config, get the database ready, schedule the usage retention job,
 * and on SIGTERM or SIGINT drain, flush usage and exit.
 */
export async function boot(): Promise<void> {
  let runtime: Runtime;
  let retention: ReturnType<typeof scheduleRetention>;
  try {
    runtime = await getRuntime();
    retention = scheduleRetention(runtime.database.db, retentionPolicy());
  } catch (err) {
    if (err instanceof ConfigError || (err as Error).name === "DatabaseInUseError") {
      process.stderr.write(`\n${(err as Error).message}\n\n`);
    } else if (process.env.DATABASE_URL && !(err instanceof ConfigError)) {
      const where = process.env.DATABASE_URL.replace(/\/\/[^@/]*@/, "//…@");
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      process.stderr.write(
        `\nCannot open the database at ${where}: ${cause.split("\n").at(-1)}\n\n`,
      );
    } else {
      logger.fatal({ err }, "start-up failed");
    }
    process.exit(1);
  }
  if (process.env.TOLLGATE_DEMO !== "off") await ensureDemoTenant(runtime);

  // Next.js's own signal handler exits as soon as its server has closed, which can be before the
  // last usage events are written; start.mjs sets NEXT_MANUAL_SIG_HANDLE so that this one runs.
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void shutDown(signal, retention);
    });
  }
}

/**
 * The drain: new API requests get 503 `shutting_down` and /api/ready turns 503, so load balancers
 * send traffic elsewhere, while the calls in flight (open streams included) finish up to the
 * deadline and settle; calls still running then are cut and settle for what they used. Then the
 * last usage events are written and buffered spans exported.
 */
async function shutDown(
  signal: string,
  retention: ReturnType<typeof scheduleRetention>,
): Promise<void> {
  beginDrain();
  logger.info(
    { signal, deadlineMs: SHUTDOWN_DEADLINE_MS },
    "shutting down: refusing new requests, waiting for calls in flight",
  );
  const unfinished = await callsDrained(SHUTDOWN_DEADLINE_MS);
  if (unfinished > 0) {
    // Cut calls settle for the tokens they used; give them a moment to do so before the flush.
    const cut = cutCallsInFlight();
    const lost = await callsDrained(CUT_GRACE_MS);
    logger.warn({ unfinished, cut, lost }, "shutdown deadline passed with calls in flight");
  }
  try {
    await retention.stop();
    await shutdownRuntime();
    logger.info("usage flushed; bye");
  } catch (err) {
    logger.error({ err }, "shutdown flush failed");
  }
  await stopTracing();
  process.exit(0);
}
