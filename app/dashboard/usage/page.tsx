import type { Metadata } from "next";
import { BreakdownChart } from "@/components/charts/breakdown-chart";
import { DailySpendChart } from "@/components/charts/daily-chart";
import { Stat } from "@/components/overview/stat";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { filterQuery, UsageFilters } from "@/components/usage/filters";
import { RequestTable } from "@/components/usage/request-table";
import { lastDays, utcDay } from "@/lib/dashboard/aggregates";
import { pageContext } from "@/lib/dashboard/context";
import { formatCount, formatDay, formatUsd } from "@/lib/dashboard/format";
import { listTenantKeys } from "@/lib/dashboard/keys";
import { requestFilters } from "@/lib/dashboard/requests";
import { usagePage } from "@/lib/dashboard/usage-page";
import { budgetPeriod } from "@/lib/usage/summary";

export const metadata: Metadata = { title: "Usage · Tollgate" };
export const dynamic = "force-dynamic";

export default async function UsagePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenant, runtime } = await pageContext("/dashboard/usage");
  const parsed = requestFilters.safeParse(await searchParams);
  const filters = parsed.success ? parsed.data : {};
  await runtime.usage.flush();
  const { db } = runtime.database;
  const [data, keys] = await Promise.all([
    usagePage(db, tenant.tenantId, filters),
    listTenantKeys(db, tenant.tenantId),
  ]);
  const now = new Date();
  const tierModels = runtime.config.tiers.get(tenant.tier)?.models ?? [];
  const models = [...new Set([...tierModels, ...data.byModel.map((m) => m.model)])].sort();
  const query = { ...filters, ...data.range };
  const hasUsage = data.totals.requests > 0;
  return (
    <>
      <PageHeader
        title="Usage"
        description={`${formatDay(data.range.from)} – ${formatDay(data.range.to)} (UTC). Charts come from daily totals; the table lists each call.`}
      />
      {parsed.success ? null : (
        <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Some filters were not understood and were ignored. Dates are YYYY-MM-DD.
        </p>
      )}
      <Card className="mb-6">
        <UsageFilters
          range={data.range}
          filters={filters}
          keys={keys.map((k) => ({ id: k.id, name: k.revokedAt ? `${k.name} (revoked)` : k.name }))}
          models={models}
          presets={[
            { label: "Today", range: lastDays(1, now) },
            { label: "7 days", range: lastDays(7, now) },
            { label: "30 days", range: lastDays(30, now) },
            { label: "90 days", range: lastDays(90, now) },
            {
              label: "This month",
              range: { from: utcDay(budgetPeriod(now).start), to: utcDay(now) },
            },
          ]}
          csvHref={`/api/dashboard/tenants/${tenant.tenantId}/usage.csv${filterQuery(query)}`}
        />
      </Card>
      <dl className="mb-6 grid gap-4 sm:grid-cols-3">
        <Stat label="Spend" value={formatUsd(data.totals.costNanoUsd)} testId="range-spend" />
        <Stat label="Requests" value={formatCount(data.totals.requests)} />
        <Stat label="Tokens" value={formatCount(data.totals.tokens)} />
      </dl>
      {hasUsage ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card title="Spend per day" className="lg:col-span-2">
            <DailySpendChart data={data.byDay} label="Spend per day in the selected range" />
          </Card>
          <Card title="By model">
            <BreakdownChart
              label="Spend by model"
              data={data.byModel.map((m) => ({ ...m, name: m.model }))}
            />
          </Card>
          <Card title="By key">
            <BreakdownChart label="Spend by key" data={data.byKey} />
          </Card>
        </div>
      ) : (
        <EmptyState title="No usage in this range">
          Pick a wider range, or send a call with one of your keys.
        </EmptyState>
      )}
      <Card title="Requests" description="Newest first" className="mt-6">
        <RequestTable
          rows={data.requests.rows}
          page={data.requests.page}
          hasMore={data.requests.hasMore}
          pageHref={(page) => `/dashboard/usage${filterQuery(query, page)}`}
        />
      </Card>
    </>
  );
}
