import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { GatewayError } from "@/lib/errors";
import type { KeyCache } from "./verify";

export interface KeyPatch {
  name?: string;
  /** Lower than the tier's to restrict this key; null goes back to the tier's. */
  requestsPerMinute?: number | null;
  tokensPerMinute?: number | null;
  /** This key's own monthly cap in nano-dollars; null: only the tenant's cap applies. */
  monthlyBudgetNanoUsd?: number | null;
}

type KeyRow = typeof apiKeys.$inferSelect;

const notFound = (keyId: string) => new GatewayError("not_found", `No API key with id "${keyId}".`);

/** One key of one tenant; another tenant's key id is a 404, exactly like a missing one. */
export async function getTenantKey(db: Db, tenantId: string, keyId: string): Promise<KeyRow> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId)));
  if (!row) throw notFound(keyId);
  return row;
}

/**
 * Renames a key or changes its own limits. `tenantId` scopes the change to that tenant's keys
 * (the dashboard); null lets the operator's admin API reach any key. This instance applies the
 * change to the key's next request; others within the key cache's TTL.
 */
export async function updateKey(
  db: Db,
  cache: KeyCache,
  tenantId: string | null,
  keyId: string,
  patch: KeyPatch,
): Promise<KeyRow> {
  const scope =
    tenantId === null
      ? eq(apiKeys.id, keyId)
      : and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId));
  const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const [row] =
    Object.keys(values).length > 0
      ? await db.update(apiKeys).set(values).where(scope).returning()
      : await db.select().from(apiKeys).where(scope);
  if (!row) throw notFound(keyId);
  cache.forget(row.keyHash);
  await cache.tenantChanged(row.tenantId);
  return row;
}

/** The admin API's view of a key: never its hash. */
export function toKeyView(row: KeyRow) {
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    prefix: row.displayPrefix,
    requestsPerMinute: row.requestsPerMinute,
    tokensPerMinute: row.tokensPerMinute,
    monthlyBudgetNanoUsd: row.monthlyBudgetNanoUsd,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
