import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { GatewayError } from "@/lib/errors";
import type { KeyCache } from "./verify";

/**
 * Revokes a key. This instance forgets it at once; the tenant's version bump makes every other
 * instance re-read it on its next request (within `KEY_CACHE_TTL_MS` if the store is unreachable).
 */
export async function revokeKey(db: Db, cache: KeyCache, keyId: string): Promise<void> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ keyHash: apiKeys.keyHash, tenantId: apiKeys.tenantId });
  if (rows.length === 0) {
    const [existing] = await db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(eq(apiKeys.id, keyId));
    if (!existing) throw new GatewayError("not_found", `No API key with id "${keyId}".`);
    return;
  }
  for (const row of rows) {
    cache.forget(row.keyHash);
    await cache.tenantChanged(row.tenantId);
  }
}
