import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { pageContext } from "@/lib/dashboard/context";
import { formatCount, formatTime, formatUsd } from "@/lib/dashboard/format";
import { listAllTenants } from "@/lib/dashboard/operator";

export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const { user, runtime } = await pageContext("/admin");
  if (!user.operator) notFound();
  await runtime.usage.flush();
  const tenants = await listAllTenants(runtime.database.db, runtime.config);
  const total = tenants.reduce((s, t) => s + t.monthSpendNanoUsd, 0);
  return (
    <>
      <PageHeader
        title="All tenants"
        description={`${formatCount(tenants.length)} tenants · ${formatUsd(total)} spent this month`}
      />
      <Card>
        {tenants.length === 0 ? (
          <EmptyState title="No tenants yet" />
        ) : (
          <div className="-mx-5 overflow-x-auto">
            <table className="min-w-full text-left text-sm" data-testid="tenants-table">
              <caption className="sr-only">All tenants</caption>
              <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Tenant
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Tier
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Month spend
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Cap
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Keys
                  </th>
                  <th scope="col" className="px-3 py-2 text-right font-medium">
                    Members
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Created
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {tenants.map((t) => (
                  <tr key={t.id}>
                    <td className="px-5 py-2">
                      <Link
                        href={`/admin/tenants/${t.id}`}
                        className="font-medium text-zinc-900 underline-offset-4 hover:underline"
                      >
                        {t.name}
                      </Link>
                      <span className="ml-2 font-mono text-xs text-zinc-400">{t.id}</span>
                    </td>
                    <td className="px-3 py-2">{t.tier}</td>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {formatUsd(t.monthSpendNanoUsd)}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">
                      {t.budgetNanoUsd === null ? "None" : formatUsd(t.budgetNanoUsd)}
                      {t.budgetOverridden ? (
                        <span className="ml-1 text-xs text-zinc-400">(set)</span>
                      ) : null}
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{t.activeKeys}</td>
                    <td className="px-3 py-2 text-right tabular-nums">{t.members}</td>
                    <td className="whitespace-nowrap px-5 py-2 text-zinc-500">
                      {formatTime(t.createdAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}
