import { ConfigError } from "@/lib/config/load";
import { callsDrained } from "@/lib/lifecycle";
import { logger } from "@/lib/log";
import { getRuntime, shutdownRuntime } from "@/lib/runtime";
import { ensureDemoTenant } from "@/lib/tenants/demo";

/** How long a shutdown waits for calls in flight (open streams) before flushing and exiting. */
const SHUTDOWN_DEADLINE_MS = Number(process.env.TOLLGATE_SHUTDOWN_DEADLINE_MS ?? 15_000);

/** Start-up: fail fast on a bad config, get the database ready, flush usage on the way out. */
export async function boot(): Promise<void> {
  let runtime: Awaited<ReturnType<typeof getRuntime>>;
  try {
    runtime = await getRuntime();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`\n${err.message}\n\n`);
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
      void shutDown(signal);
    });
  }
}

async function shutDown(signal: string): Promise<void> {
  logger.info(
    { signal, deadlineMs: SHUTDOWN_DEADLINE_MS },
    "shutting down: waiting for calls in flight",
  );
  const unfinished = await callsDrained(SHUTDOWN_DEADLINE_MS);
  if (unfinished > 0) logger.warn({ unfinished }, "shutdown deadline passed with calls in flight");
  try {
    await shutdownRuntime();
    logger.info("usage flushed; bye");
  } catch (err) {
    logger.error({ err }, "shutdown flush failed");
  }
  process.exit(0);
}
