import type { Metadata } from "next";
import Link from "next/link";
import { DailySpendChart } from "@/components/charts/daily-chart";
import { BudgetBar } from "@/components/overview/budget-bar";
import { Stat } from "@/components/overview/stat";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { pageContext } from "@/lib/dashboard/context";
import { formatCount, formatUsd } from "@/lib/dashboard/format";
import { overview } from "@/lib/dashboard/overview";
import { tenantHeadroom } from "@/lib/limits/ratelimit";

export const metadata: Metadata = { title: "Overview · Tollgate" };
export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const { tenant, runtime } = await pageContext("/dashboard");
  // Calls this instance answered a moment ago are in the queue: write them so they show.
  await runtime.usage.flush();
  const tier = runtime.config.tiers.get(tenant.tier);
  // Live headroom is a nicety: with the store down the page still shows the limits.
  const headroom = tier
    ? await tenantHeadroom(runtime.store, tenant.tenantId, tier).catch(() => null)
    : null;
  const data = await overview(
    runtime.database.db,
    runtime.config,
    tenant.tenantId,
    new Date(),
    headroom,
  );
  const hasUsage = data.daily.some((d) => d.requests > 0);
  return (
    <>
      <PageHeader
        title={tenant.tenantName}
        description={
          <>
            On the <span className="font-medium text-zinc-700">{data.tier}</span> tier ·{" "}
            <Link href="/dashboard/billing" className="underline underline-offset-4">
              change
            </Link>
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Spend this month" className="lg:col-span-2">
          <BudgetBar
            spendNanoUsd={data.spendNanoUsd}
            budgetNanoUsd={data.budgetNanoUsd}
            resetsAt={data.resetsAt}
          />
        </Card>
        <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-1">
          <Stat
            label="Requests today"
            value={formatCount(data.requestsToday)}
            detail={`${formatUsd(data.costTodayNanoUsd)} today (UTC)`}
            testId="requests-today"
          />
          <Stat
            label="Active keys"
            value={data.activeKeys}
            detail={
              <Link href="/dashboard/keys" className="underline underline-offset-4">
                Manage keys
              </Link>
            }
          />
        </dl>
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-3">
        <Card title="Spend per day" description="Last 30 days, UTC" className="lg:col-span-2">
          {hasUsage ? (
            <DailySpendChart data={data.daily} label="Spend per day, last 30 days" />
          ) : (
            <EmptyState title="No calls in the last 30 days">
              Create a key and send a request to /v1/chat/completions; it shows here at once.
            </EmptyState>
          )}
        </Card>
        <Card title="Top models" description="This month">
          {data.topModels.length === 0 ? (
            <EmptyState title="No models used yet" />
          ) : (
            <ol className="space-y-3">
              {data.topModels.map((m) => (
                <li key={m.model} className="flex items-baseline justify-between gap-3 text-sm">
                  <span className="truncate font-mono text-zinc-900">{m.model}</span>
                  <span className="whitespace-nowrap tabular-nums text-zinc-600">
                    {formatUsd(m.costNanoUsd)}{" "}
                    <span className="text-zinc-400">· {formatCount(m.requests)} req</span>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
      <Card
        title="Rate limits"
        description="The limits that apply to your calls, per minute. A key's own limit is lower than the tier's."
        className="mt-6"
      >
        <table className="min-w-full text-left text-sm" data-testid="rate-limits">
          <caption className="sr-only">Rate limits per minute</caption>
          <thead className="text-xs uppercase tracking-wide text-zinc-500">
            <tr>
              <th scope="col" className="py-2 font-medium">
                Applies to
              </th>
              <th scope="col" className="py-2 text-right font-medium">
                Requests / min limit
              </th>
              <th scope="col" className="py-2 text-right font-medium">
                Tokens / min limit
              </th>
              <th scope="col" className="py-2 text-right font-medium">
                Left this minute
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {data.rateLimits.map((l) => (
              <tr key={l.scope}>
                <td className="py-2 text-zinc-900">{l.scope}</td>
                <td className="py-2 text-right tabular-nums">
                  {l.requestsPerMinute === null ? "Tier's" : formatCount(l.requestsPerMinute)}
                </td>
                <td className="py-2 text-right tabular-nums">
                  {l.tokensPerMinute === null ? "Tier's" : formatCount(l.tokensPerMinute)}
                </td>
                <td className="py-2 text-right tabular-nums text-zinc-500">
                  {l.requestsRemaining === null || l.tokensRemaining === null
                    ? "—"
                    : `${formatCount(l.requestsRemaining)} req · ${formatCount(l.tokensRemaining)} tok`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
