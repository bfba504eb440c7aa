/**
 * Runs once when the server process starts: starts trace export when an OTLP endpoint is set
 * (before anything else, so that every span has somewhere to go), loads and validates the config,
 * opens and migrates the database, and creates the demo tenant on first start. A bad config stops
 * the process here.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startTracing } = await import("./lib/observability/tracing");
  await startTracing();
  const { boot } = await import("./lib/boot");
  await boot();
}
