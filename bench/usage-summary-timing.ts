// Times `usageSummary` (what GET /v1/usage and the admin usage call serve) for one tenant, on the
// database DATABASE_URL names, with the config TOLLGATE_CONFIG names.
//
//   node --import tsx bench/usage-summary-timing.ts TENANT_ID
//
// Prints one JSON line: the median and the slowest of five runs after a warm-up, in milliseconds.
import { openDatabase } from "@/db/client";
import { loadConfig } from "@/lib/config/load";
import { usageSummary } from "@/lib/usage/summary";

async function main(): Promise<void> {
  const tenantId = process.argv[2];
  if (!tenantId) throw new Error("usage: usage-summary-timing.ts TENANT_ID");
  const config = loadConfig();
  const database = await openDatabase();
  try {
    await usageSummary(database.db, config, tenantId);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await usageSummary(database.db, config, tenantId);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const line = { label: "usageSummary", medianMs: times[2], maxMs: times[4] };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
