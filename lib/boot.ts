import { ConfigError } from "@/lib/config/load";
import { logger } from "@/lib/log";
import { getRuntime, shutdownRuntime } from "@/lib/runtime";
import { ensureDemoTenant } from "@/lib/tenants/demo";

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

  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, "shutting down: flushing usage");
      shutdownRuntime()
        .catch((err: unknown) => logger.error({ err }, "shutdown flush failed"))
        .finally(() => process.exit(0));
    });
  }
}
