import type { Metadata } from "next";
import { AlertSettingsForms } from "@/components/alerts/alert-settings";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { alertSettingsView } from "@/lib/alerts/settings";
import { pageContext } from "@/lib/dashboard/context";
import { formatTime } from "@/lib/dashboard/format";

export const metadata: Metadata = { title: "Alerts · Tollgate" };
export const dynamic = "force-dynamic";

const STATUS_STYLE: Record<string, string> = {
  delivered: "bg-emerald-50 text-emerald-700",
  pending: "bg-zinc-100 text-zinc-700",
  failed: "bg-red-50 text-red-700",
};

export default async function AlertsPage() {
  const { tenant, runtime } = await pageContext("/dashboard/alerts");
  const view = await alertSettingsView(runtime.database.db, tenant.tenantId);
  const canEdit = tenant.role === "owner";
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Get a webhook when this month's spend crosses a share of your cap."
      />
      {canEdit ? null : (
        <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Only an owner of this workspace can change alert settings.
        </p>
      )}
      <AlertSettingsForms
        tenantId={tenant.tenantId}
        webhooks={view.webhooks}
        thresholdsPercent={view.thresholdsPercent}
        secretHint={view.secretHint}
        canEdit={canEdit}
      />
      <Card title="Latest deliveries" className="mt-6">
        {view.deliveries.length === 0 ? (
          <EmptyState title="No alerts sent yet">
            Deliveries show here with their status once spend crosses a threshold.
          </EmptyState>
        ) : (
          <div className="-mx-5 overflow-x-auto">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">Latest alert deliveries</caption>
              <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Time
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Threshold
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Webhook
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Detail
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {view.deliveries.map((d) => (
                  <tr key={d.id}>
                    <td className="whitespace-nowrap px-5 py-2">{formatTime(d.createdAt)}</td>
                    <td className="px-3 py-2">{d.thresholdPercent}%</td>
                    <td className="max-w-64 truncate px-3 py-2 font-mono text-xs">
                      {d.url ?? "(removed)"}
                    </td>
                    <td className="px-3 py-2">
                      <span
                        className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLE[d.status] ?? ""}`}
                      >
                        {d.status}
                      </span>
                    </td>
                    <td className="px-5 py-2 text-xs text-zinc-500">
                      {d.responseStatus ? `HTTP ${d.responseStatus} · ` : ""}
                      {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                      {d.lastError ? ` · ${d.lastError}` : ""}
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
