import type { Metadata } from "next";
import { InviteButton } from "@/components/members/invite-button";
import { RemoveMemberButton } from "@/components/members/remove-member-button";
import { Card, PageHeader } from "@/components/ui/card";
import { pageContext } from "@/lib/dashboard/context";
import { formatTime } from "@/lib/dashboard/format";
import { listMembers } from "@/lib/members/members";

export const metadata: Metadata = { title: "Members · Tollgate" };
export const dynamic = "force-dynamic";

export default async function MembersPage() {
  const { tenant, runtime, user } = await pageContext("/dashboard/members");
  const members = await listMembers(runtime.database.db, tenant.tenantId);
  return (
    <>
      <PageHeader
        title="Members"
        description={
          "Everyone here can manage keys and see usage; owners also change the tier and " +
          "alerts, and invite or remove people."
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="People" className="lg:col-span-2">
          <ul className="divide-y divide-zinc-100">
            {members.map((m) => (
              <li
                key={m.userId}
                className="flex flex-wrap items-center justify-between gap-2 py-3 text-sm"
              >
                <span>
                  <span className="font-medium text-zinc-900">{m.name ?? m.email}</span>
                  {m.name ? <span className="ml-2 text-zinc-500">{m.email}</span> : null}
                  {m.userId === user.id ? <span className="ml-2 text-zinc-400">(you)</span> : null}
                </span>
                <span className="flex items-center gap-3">
                  <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs capitalize text-zinc-700">
                    {m.role}
                  </span>
                  <span className="text-xs text-zinc-500">since {formatTime(m.since)}</span>
                  {tenant.role === "owner" || m.userId === user.id ? (
                    <RemoveMemberButton
                      tenantId={tenant.tenantId}
                      userId={m.userId}
                      who={m.name ?? m.email}
                      self={m.userId === user.id}
                    />
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Invite">
          {tenant.role === "owner" ? (
            <InviteButton tenantId={tenant.tenantId} />
          ) : (
            <p className="text-sm text-zinc-500">Only an owner can invite people.</p>
          )}
        </Card>
      </div>
    </>
  );
}
