import { createHash, randomBytes } from "node:crypto";
import postgres from "postgres";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Rows per insert statement: well under Postgres's 65,535 bind parameters with unnest arrays. */
const CHUNK = 5000;

/** A key as lib/keys/secret.ts makes them: `tg_` and 40 base62 characters. */
function keySecret(): string {
  let body = "";
  for (const byte of randomBytes(64)) {
    if (byte < 248 && body.length < 40) body += ALPHABET[byte % 62];
  }
  return body.length === 40 ? `tg_${body}` : keySecret();
}

/**
 * Inserts `count` tenants on `tier`, each with one key, straight into the database (the way a
 * long-lived deployment accumulates them), storing only hashes. Returns the keys' secrets so the
 * load can spread over them. Seconds taken are for the report.
 */
export async function insertTenants(
  databaseUrl: string,
  count: number,
  tier: string,
): Promise<{ secrets: string[]; seconds: number }> {
  const started = performance.now();
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const secrets: string[] = [];
  try {
    for (let from = 0; from < count; from += CHUNK) {
      const n = Math.min(CHUNK, count - from);
      const ids = Array.from({ length: n }, (_, i) => `bench_${from + i}`);
      const batch = ids.map(() => keySecret());
      secrets.push(...batch);
      await sql`
        insert into tenants (id, name, tier)
        select 'ten_' || id, 'Bench tenant ' || id, ${tier} from unnest(${ids}::text[]) as id`;
      await sql`
        insert into api_keys (id, tenant_id, name, key_hash, display_prefix)
        select 'key_' || id, 'ten_' || id, 'bench', hash, prefix
        from unnest(${ids}::text[], ${batch.map((s) => createHash("sha256").update(s).digest("hex"))}::text[],
          ${batch.map((s) => s.slice(0, 11))}::text[]) as k(id, hash, prefix)`;
    }
    await sql`analyze tenants`;
    await sql`analyze api_keys`;
  } finally {
    await sql.end();
  }
  return { secrets, seconds: (performance.now() - started) / 1000 };
}
