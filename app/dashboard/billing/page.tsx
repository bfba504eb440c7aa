import type { Metadata } from "next";
import { TierCards } from "@/components/billing/tier-cards";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { tierHistory } from "@/lib/billing/history";
import { stripeConfigured } from "@/lib/billing/stripe";
import { tierCatalog } from "@/lib/billing/tiers";
import { pageContext } from "@/lib/dashboard/context";
import { formatTime } from "@/lib/dashboard/format";

export const metadata: Metadata = { title: "Billing · Tollgate" };
export const dynamic = "force-dynamic";

const SOURCES: Record<string, string> = {
  admin: "by an operator",
  dashboard: "in the dashboard",
  stripe: "by Stripe",
};

export default async function BillingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenant, runtime } = await pageContext("/dashboard/billing");
  const { checkout } = await searchParams;
  const stripe = stripeConfigured();
  const history = await tierHistory(runtime.database.db, tenant.tenantId);
  return (
    <>
      <PageHeader
        title="Billing"
        description={
          stripe
            ? "Paid tiers are billed monthly through Stripe; the tier changes once Stripe confirms the payment."
            : "Self-hosted: tier changes apply at once and are recorded below."
        }
      />
      {checkout === "success" ? (
        <p
          role="status"
          className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        >
          Payment received. Your new tier applies as soon as Stripe confirms it, usually within
          seconds; refresh to see it.
        </p>
      ) : checkout === "cancelled" ? (
        <p role="status" className="mb-4 rounded-md bg-zinc-100 px-3 py-2 text-sm text-zinc-700">
          Checkout was cancelled. Nothing changed.
        </p>
      ) : null}
      {tenant.role === "owner" ? null : (
        <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
          Only an owner of this workspace can change its tier.
        </p>
      )}
      <TierCards
        tenantId={tenant.tenantId}
        tiers={tierCatalog(runtime.config)}
        current={tenant.tier}
        canChange={tenant.role === "owner"}
        stripe={stripe}
      />
      <Card title="Tier history" className="mt-8">
        {history.length === 0 ? (
          <EmptyState title="No tier changes yet">
            Your workspace has been on the {tenant.tier} tier since it was created.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 text-sm">
            {history.map((h) => (
              <li key={h.id} className="flex flex-wrap justify-between gap-2 py-2">
                <span>
                  <span className="font-medium">{h.fromTier}</span> →{" "}
                  <span className="font-medium">{h.toTier}</span>{" "}
                  <span className="text-zinc-500">{SOURCES[h.source] ?? h.source}</span>
                </span>
                <span className="text-zinc-500">{formatTime(h.createdAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
