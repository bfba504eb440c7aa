import { and, desc, eq, gte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { apiKeys, usageDaily } from "@/db/schema";
import { GatewayError } from "@/lib/errors";
import { createKey } from "@/lib/keys/create";
import { revokeKey } from "@/lib/keys/revoke";
import type { KeyCache } from "@/lib/keys/verify";
import { usdToNano } from "@/lib/pricing/units";
import { budgetPeriod } from "@/lib/usage/summary";

const limit = z.number().int().min(1).max(1_000_000_000).nullable().optional();
const keyLimits = {
  requestsPerMinute: limit,
  tokensPerMinute: limit,
  /** Dollars a month for this key alone; null: only the tenant's cap applies. */
  monthlyBudgetUsd: z.number().min(0).max(1_000_000).nullable().optional(),
};
export const createKeyInput = z.strictObject({
  name: z.string().trim().min(1, "give the key a name").max(100),
  ...keyLimits,
});
export const updateKeyInput = z.strictObject({
  name: z.string().trim().min(1, "give the key a name").max(100).optional(),
  ...keyLimits,
});

type KeyRow = typeof apiKeys.$inferSelect;
type KeyPatch = Partial<
  Pick<KeyRow, "name" | "requestsPerMinute" | "tokensPerMinute" | "monthlyBudgetNanoUsd">
>;

/** A key of the given tenant, or 404: a key id from another tenant is treated as unknown. */
export async function getTenantKey(db: Db, tenantId: string, keyId: string): Promise<KeyRow> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId)));
  if (!row) throw new GatewayError("not_found", `No API key with id "${keyId}".`);
  return row;
}

/**
 * Renames one of the tenant's keys or changes its own limits. The tenant is part of the update's
 * condition, so a key id from another tenant changes nothing. The tenant's version bump makes
 * every instance apply the new limits to the key's next request.
 */
async function updateKey(
  db: Db,
  cache: KeyCache,
  tenantId: string,
  keyId: string,
  patch: KeyPatch,
): Promise<KeyRow> {
  if (Object.keys(patch).length === 0) return getTenantKey(db, tenantId, keyId);
  const [row] = await db
    .update(apiKeys)
    .set(patch)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.tenantId, tenantId)))
    .returning();
  if (!row) throw new GatewayError("not_found", `No API key with id "${keyId}".`);
  cache.forget(row.keyHash);
  await cache.tenantChanged(tenantId);
  return row;
}

function toPatch(input: z.infer<typeof updateKeyInput>): KeyPatch {
  const { monthlyBudgetUsd, ...rest } = input;
  const patch: KeyPatch = Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined),
  );
  if (monthlyBudgetUsd !== undefined) {
    patch.monthlyBudgetNanoUsd = monthlyBudgetUsd === null ? null : usdToNano(monthlyBudgetUsd);
  }
  return patch;
}

/** Issues a key with its optional own limits; the whole key is in the answer, and only there. */
export async function createTenantKey(
  db: Db,
  cache: KeyCache,
  tenantId: string,
  input: z.infer<typeof createKeyInput>,
) {
  const created = await createKey(db, tenantId, input.name);
  const { name: _name, ...limits } = input;
  await updateKey(db, cache, tenantId, created.id, toPatch(limits));
  return created;
}

export async function updateTenantKey(
  db: Db,
  cache: KeyCache,
  tenantId: string,
  keyId: string,
  input: z.infer<typeof updateKeyInput>,
) {
  const row = await updateKey(db, cache, tenantId, keyId, toPatch(input));
  return { id: row.id, name: row.name };
}

/** Revokes one of the tenant's keys; another tenant's key id is a 404, never revoked. */
export async function revokeTenantKey(db: Db, cache: KeyCache, tenantId: string, keyId: string) {
  await getTenantKey(db, tenantId, keyId);
  await revokeKey(db, cache, keyId);
}

export interface KeyListItem {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  monthlyBudgetNanoUsd: number | null;
  monthSpendNanoUsd: number;
}

/** The tenant's keys, newest first, with each key's spend this budget month (from daily totals). */
export async function listTenantKeys(db: Db, tenantId: string, now = new Date()) {
  const monthStart = budgetPeriod(now).start.toISOString().slice(0, 10);
  const spend = db
    .select({
      keyId: usageDaily.keyId,
      cost: sql<number>`sum(${usageDaily.costNanoUsd})`.as("cost"),
    })
    .from(usageDaily)
    .where(and(eq(usageDaily.tenantId, tenantId), gte(usageDaily.day, monthStart)))
    .groupBy(usageDaily.keyId)
    .as("spend");
  const rows = await db
    .select({ key: apiKeys, cost: spend.cost })
    .from(apiKeys)
    .leftJoin(spend, eq(spend.keyId, apiKeys.id))
    .where(eq(apiKeys.tenantId, tenantId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(
    ({ key, cost }): KeyListItem => ({
      id: key.id,
      name: key.name,
      prefix: key.displayPrefix,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
      requestsPerMinute: key.requestsPerMinute,
      tokensPerMinute: key.tokensPerMinute,
      monthlyBudgetNanoUsd: key.monthlyBudgetNanoUsd,
      monthSpendNanoUsd: Number(cost ?? 0),
    }),
  );
}
