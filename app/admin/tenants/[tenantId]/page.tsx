import Link from "next/link";
import { notFound } from "next/navigation";
import { TenantForm } from "@/components/admin/tenant-form";
import { KeyTable } from "@/components/keys/key-table";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { pageContext } from "@/lib/dashboard/context";
import { formatUsd } from "@/lib/dashboard/format";
import { listTenantKeys } from "@/lib/dashboard/keys";
import { GatewayError } from "@/lib/errors";
import { nanoToUsd } from "@/lib/pricing/units";
import { effectiveBudgetNanoUsd, getTenant } from "@/lib/tenants/tenants";
import { usageSummary } from "@/lib/usage/summary";

export const dynamic = "force-dynamic";

export default async function AdminTenantPage({
  params,
}: {
  params: Promise<{ tenantId: string }>;
}) {
  const { tenantId } = await params;
  const { user, runtime } = await pageContext(`/admin/tenants/${tenantId}`);
  if (!user.operator) notFound();
  const { db } = runtime.database;
  const tenant = await getTenant(db, tenantId).catch((err: unknown) => {
    if (err instanceof GatewayError && err.code === "not_found") notFound();
    throw err;
  });
  await runtime.usage.flush();
  const [keys, usage] = await Promise.all([
    listTenantKeys(db, tenantId),
    usageSummary(db, runtime.config, tenantId),
  ]);
  const budget = effectiveBudgetNanoUsd(runtime.config, tenant);
  return (
    <>
      <Link href="/admin" className="text-sm text-zinc-500 hover:text-zinc-900">
        ← All tenants
      </Link>
      <PageHeader
        title={tenant.name}
        description={`${tenant.id} · ${formatUsd(usage.spendNanoUsd)} this month of ${
          budget === null ? "no cap" : formatUsd(budget)
        }`}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Tier and cap">
          <TenantForm
            // A new cap or tier remounts the form, so its fields show what is now in force.
            key={`${tenant.tier}:${budget}:${tenant.budgetOverridden}`}
            tenantId={tenant.id}
            tiers={[...runtime.config.tiers.keys()]}
            tier={tenant.tier}
            budgetUsd={budget === null ? null : nanoToUsd(budget)}
            overridden={tenant.budgetOverridden}
          />
        </Card>
        <Card title="Keys" className="lg:col-span-2">
          {keys.length === 0 ? (
            <EmptyState title="This tenant has no keys" />
          ) : (
            <KeyTable
              keys={keys}
              apiBase="/api/dashboard/operator/keys"
              now={new Date().toISOString()}
              canRename={false}
            />
          )}
        </Card>
      </div>
    </>
  );
}
