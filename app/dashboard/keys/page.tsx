import type { Metadata } from "next";
import { CreateKeyForm } from "@/components/keys/create-key-form";
import { KeyTable } from "@/components/keys/key-table";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/states";
import { pageContext } from "@/lib/dashboard/context";
import { listTenantKeys } from "@/lib/dashboard/keys";

export const metadata: Metadata = { title: "API keys · Tollgate" };
export const dynamic = "force-dynamic";

export default async function KeysPage() {
  const { tenant, runtime } = await pageContext("/dashboard/keys");
  const keys = await listTenantKeys(runtime.database.db, tenant.tenantId);
  const active = keys.filter((k) => !k.revokedAt).length;
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let your apps call the Tollgate API. Send one as 'Authorization: Bearer tg_…'."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Create a key" className="lg:col-span-1">
          <CreateKeyForm tenantId={tenant.tenantId} />
        </Card>
        <Card
          title="Your keys"
          description={`${active} active${keys.length > active ? `, ${keys.length - active} revoked` : ""}`}
          className="lg:col-span-2"
        >
          {keys.length === 0 ? (
            <EmptyState title="No keys yet">
              Create your first key on the left, then point the official openai client at this
              server&apos;s /v1 with it.
            </EmptyState>
          ) : (
            <KeyTable
              keys={keys}
              apiBase={`/api/dashboard/tenants/${tenant.tenantId}/keys`}
              now={new Date().toISOString()}
            />
          )}
        </Card>
      </div>
    </>
  );
}
