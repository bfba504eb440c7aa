// Seeds usage for one tenant and times the usage page's queries against it.
//
//   node --import tsx scripts/seed-usage.ts [--events 1000000] [--days 90] [--keys 5]
//
// Uses the database the environment names (DATABASE_URL, else the embedded PGlite in
// TOLLGATE_DATA_DIR) and the config (TOLLGATE_CONFIG). Creates a tenant "Benchmark" with keys,
// writes the events and their daily aggregates in batches of 50,000 (one statement each, generated
// in the database), then runs the usage page's loader and the overview five times each and prints
// the median server time in milliseconds as JSON lines.
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { loadConfig } from "@/lib/config/load";
import { overview } from "@/lib/dashboard/overview";
import { usagePage } from "@/lib/dashboard/usage-page";
import { createKey } from "@/lib/keys/create";
import { createTenant } from "@/lib/tenants/tenants";

const BATCH = 50_000;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive integer`);
  return value;
}

const events = option("events", 1_000_000);
const days = option("days", 90);
const keyCount = option("keys", 5);

const out = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);

async function median(label: string, run: () => Promise<unknown>): Promise<void> {
  await run(); // warm-up: first query plans and caches
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  out({
    step: "timing",
    label,
    medianMs: Math.round(times[2] ?? 0),
    maxMs: Math.round(times[4] ?? 0),
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase();
  const { db } = database;
  const tenant = await createTenant(db, config, { name: "Benchmark" });
  const keys: string[] = [];
  for (let i = 0; i < keyCount; i++)
    keys.push((await createKey(db, tenant.id, `bench key ${i + 1}`)).id);
  const models = config.tiers.get(tenant.tier)?.models ?? ["demo"];
  out({
    step: "tenant",
    tenantId: tenant.id,
    events,
    days,
    keys: keyCount,
    database: database.kind,
  });

  // Spread over `days`: event g lands (g * 7919) mod (days * 86400) seconds before now, a fixed
  // permutation that fills every day evenly and is the same on every run.
  const seeded = performance.now();
  const keyArray = `array[${keys.map((k) => `'${k}'`).join(",")}]`;
  const modelArray = `array[${models.map((m) => `'${m}'`).join(",")}]`;
  for (let start = 1; start <= events; start += BATCH) {
    const end = Math.min(events, start + BATCH - 1);
    await db.execute(
      sql.raw(`
      with ins as (
        insert into usage_events (request_id, tenant_id, key_id, model_requested, model_served,
          provider_id, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens,
          cost_nano_usd, latency_ms, status, outcome, streamed, estimated, created_at)
        select 'req_seed_' || g, '${tenant.id}',
          (${keyArray})[1 + g % ${keys.length}],
          (${modelArray})[1 + (g / 7) % ${models.length}],
          (${modelArray})[1 + (g / 7) % ${models.length}],
          'seed', 200 + g % 800, 0, 0, 50 + g % 400,
          (200 + g % 800) * 3 + (50 + g % 400) * 12,
          80 + g % 1500, case when g % 97 = 0 then 429 else 200 end,
          case when g % 97 = 0 then 'error' else 'ok' end, g % 3 = 0, false,
          now() - make_interval(secs => (g::bigint * 7919) % ${days * 86_400})
        from generate_series(${start}, ${end}) g
        returning *
      )
      insert into usage_daily (tenant_id, key_id, model, day, requests, input_tokens,
        cache_read_tokens, cache_write_tokens, output_tokens, cost_nano_usd)
      select tenant_id, key_id, model_served, (created_at at time zone 'UTC')::date, count(*),
        sum(input_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(output_tokens),
        sum(cost_nano_usd)
      from ins group by 1, 2, 3, 4
      on conflict (tenant_id, key_id, model, day) do update set
        requests = usage_daily.requests + excluded.requests,
        input_tokens = usage_daily.input_tokens + excluded.input_tokens,
        output_tokens = usage_daily.output_tokens + excluded.output_tokens,
        cost_nano_usd = usage_daily.cost_nano_usd + excluded.cost_nano_usd
    `),
    );
    out({ step: "seeded", events: end, seconds: Math.round((performance.now() - seeded) / 1000) });
  }
  await db.execute(sql`analyze usage_events`);
  await db.execute(sql`analyze usage_daily`);

  const today = new Date().toISOString().slice(0, 10);
  await median("usage page, last 30 days", () => usagePage(db, tenant.id, {}));
  await median("usage page, last 90 days", () =>
    usagePage(db, tenant.id, {
      from: new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10),
      to: today,
    }),
  );
  await median("usage page, 90 days, one key and one model, failed calls, page 20", () =>
    usagePage(db, tenant.id, {
      from: new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10),
      to: today,
      key: keys[0],
      model: models[0],
      status: "error",
      page: 20,
    }),
  );
  await median("overview", () => overview(db, config, tenant.id));
  await database.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
