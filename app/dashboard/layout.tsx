import type { Metadata } from "next";
import type { ReactNode } from "react";
import { DashboardShell } from "@/components/dashboard/shell";
import { EmptyState } from "@/components/ui/states";
import { currentMembership, requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Dashboard · Tollgate" };
export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser("/dashboard");
  const { current, all } = await currentMembership(user);
  if (!current) {
    return (
      <main className="mx-auto max-w-lg px-4 py-24">
        <EmptyState title="You are not a member of any workspace">
          Ask a workspace owner for an invite link, or sign up with another email to get a workspace
          of your own.
        </EmptyState>
      </main>
    );
  }
  return (
    <DashboardShell ctx={{ user, tenant: current, memberships: all }}>{children}</DashboardShell>
  );
}
