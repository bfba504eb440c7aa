/**
 * Runs once when the server process starts: loads and validates the config, opens and migrates the
 * database, and creates the demo tenant on first start. A bad config stops the process here.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { boot } = await import("./lib/boot");
  await boot();
}
