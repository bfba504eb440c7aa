import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { DashboardShell } from "@/components/dashboard/shell";
import { pageContext } from "@/lib/dashboard/context";

export const metadata: Metadata = { title: "Admin · Tollgate" };
export const dynamic = "force-dynamic";

/** Operators only; everyone else gets a plain 404, which says nothing about the page. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const ctx = await pageContext("/admin");
  if (!ctx.user.operator) notFound();
  return <DashboardShell ctx={ctx}>{children}</DashboardShell>;
}
