import Link from "next/link";
import type { ReactNode } from "react";
import type { PageContext } from "@/lib/dashboard/context";
import { AccountMenu } from "./account-menu";
import { DashboardNav } from "./nav";

/** The frame of every dashboard and admin page: brand, workspace, account, sections. */
export function DashboardShell({
  ctx,
  children,
}: {
  ctx: Pick<PageContext, "user" | "tenant" | "memberships">;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen bg-zinc-50">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 pt-3 sm:px-6">
          <Link href="/dashboard" className="flex items-center gap-2 font-semibold text-zinc-900">
            <span
              aria-hidden="true"
              className="grid h-7 w-7 place-items-center rounded-md bg-zinc-900 text-xs text-white"
            >
              T
            </span>
            Tollgate
          </Link>
          <AccountMenu
            email={ctx.user.email}
            current={ctx.tenant.tenantId}
            workspaces={ctx.memberships.map((m) => ({
              id: m.tenantId,
              name: m.tenantName,
              tier: m.tier,
            }))}
          />
        </div>
        <div className="mx-auto max-w-6xl px-4 sm:px-6">
          <DashboardNav operator={ctx.user.operator} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        {children}
      </main>
    </div>
  );
}
