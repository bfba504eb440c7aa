import { count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { tenants, tierChanges } from "@/db/schema";
import type { GatewayConfig } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import { newId } from "@/lib/keys/secret";
import { nanoToUsd, usdToNano } from "@/lib/pricing/units";

export interface TenantView {
  id: string;
  name: string;
  tier: string;
  /** The cap in force: the tenant's override, else its tier's; null when uncapped. */
  monthlyBudgetUsd: number | null;
  budgetOverridden: boolean;
  createdAt: string;
}

type TenantRow = typeof tenants.$inferSelect;

/** The cap in force for a tenant in nano-dollars; null: no hard cap. */
export function effectiveBudgetNanoUsd(config: GatewayConfig, row: TenantRow): number | null {
  if (row.budgetOverridden) return row.monthlyBudgetNanoUsd;
  return config.tiers.get(row.tier)?.monthlyBudgetNanoUsd ?? null;
}

export function toTenantView(config: GatewayConfig, row: TenantRow): TenantView {
  const budget = effectiveBudgetNanoUsd(config, row);
  return {
    id: row.id,
    name: row.name,
    tier: row.tier,
    monthlyBudgetUsd: budget === null ? null : nanoToUsd(budget),
    budgetOverridden: row.budgetOverridden,
    createdAt: row.createdAt.toISOString(),
  };
}

function requireTier(config: GatewayConfig, tier: string): void {
  if (!config.tiers.has(tier)) {
    const known = [...config.tiers.keys()].join(", ");
    throw new GatewayError("invalid_request", `Unknown tier "${tier}". Use one of: ${known}.`, {
      param: "tier",
    });
  }
}

/** Creates a tenant on the given tier (the config's default tier when none is given). */
export async function createTenant(
  db: Db,
  config: GatewayConfig,
  input: { name: string; tier?: string },
): Promise<TenantRow> {
  const tier = input.tier ?? config.defaultTier;
  requireTier(config, tier);
  const [row] = await db
    .insert(tenants)
    .values({ id: newId("ten"), name: input.name, tier })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return row;
}

/** Looks a tenant up or throws 404. */
export async function getTenant(db: Db, tenantId: string): Promise<TenantRow> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!row) throw new GatewayError("not_found", `No tenant with id "${tenantId}".`);
  return row;
}

/**
 * Changes a tenant's tier and/or cap. `monthlyBudgetUsd: null` removes the hard cap; a number
 * overrides the tier's cap; "tier" drops the override. Validation of the values happens at the edge.
 */
export async function updateTenant(
  db: Db,
  config: GatewayConfig,
  tenantId: string,
  patch: { tier?: string; monthlyBudgetUsd?: number | null | "tier" },
  source: "admin" | "dashboard" | "stripe" = "admin",
): Promise<TenantRow> {
  if (patch.tier !== undefined) requireTier(config, patch.tier);
  const before = await getTenant(db, tenantId);
  const values: Partial<TenantRow> = {};
  if (patch.tier !== undefined) values.tier = patch.tier;
  if (patch.monthlyBudgetUsd === "tier") {
    values.budgetOverridden = false;
    values.monthlyBudgetNanoUsd = null;
  } else if (patch.monthlyBudgetUsd !== undefined) {
    values.budgetOverridden = true;
    values.monthlyBudgetNanoUsd =
      patch.monthlyBudgetUsd === null ? null : usdToNano(patch.monthlyBudgetUsd);
  }
  if (Object.keys(values).length === 0) return before;
  return db.transaction(async (tx) => {
    const [row] = await tx.update(tenants).set(values).where(eq(tenants.id, tenantId)).returning();
    if (!row) throw new GatewayError("not_found", `No tenant with id "${tenantId}".`);
    if (patch.tier !== undefined && patch.tier !== before.tier) {
      await tx
        .insert(tierChanges)
        .values({ tenantId, fromTier: before.tier, toTier: patch.tier, source });
    }
    return row;
  });
}

export async function countTenants(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(tenants);
  return row?.n ?? 0;
}
