import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { tierChanges } from "@/db/schema";

/** The tenant's latest tier changes, newest first, for the billing page's record. */
export async function tierHistory(db: Db, tenantId: string, limit = 10) {
  const rows = await db
    .select()
    .from(tierChanges)
    .where(eq(tierChanges.tenantId, tenantId))
    .orderBy(desc(tierChanges.createdAt), desc(tierChanges.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    fromTier: r.fromTier,
    toTier: r.toTier,
    source: r.source,
    createdAt: r.createdAt.toISOString(),
  }));
}
