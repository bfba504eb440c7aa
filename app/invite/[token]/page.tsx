import type { Metadata } from "next";
import Link from "next/link";
import { buttonPrimary, buttonSecondary } from "@/components/ui/styles";
import { currentUser } from "@/lib/auth/session";
import { openInvite } from "@/lib/members/invites";
import { getRuntime } from "@/lib/runtime";
import { AcceptInviteButton } from "./accept-button";

export const metadata: Metadata = { title: "Invitation · Tollgate" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const runtime = await getRuntime();
  const [invite, user] = await Promise.all([openInvite(runtime.database.db, token), currentUser()]);
  const back = encodeURIComponent(`/invite/${token}`);
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4">
      <div className="w-full max-w-md rounded-xl border border-zinc-200 bg-white p-8 shadow-sm">
        {invite ? (
          <>
            <h1 className="text-xl font-semibold text-zinc-900">Join {invite.tenantName}</h1>
            <p className="mb-6 mt-2 text-sm text-zinc-500">
              You were invited to this Tollgate workspace as a member.
            </p>
            {user ? (
              <>
                <p className="mb-4 text-sm text-zinc-600">Signed in as {user.email}.</p>
                <AcceptInviteButton token={token} />
              </>
            ) : (
              <div className="grid gap-2">
                <Link href={`/signup?callbackUrl=${back}`} className={buttonPrimary}>
                  Create an account to join
                </Link>
                <Link href={`/signin?callbackUrl=${back}`} className={buttonSecondary}>
                  I have an account
                </Link>
              </div>
            )}
          </>
        ) : (
          <>
            <h1 className="text-xl font-semibold text-zinc-900">This invite cannot be used</h1>
            <p className="mt-2 text-sm text-zinc-500">
              It is unknown, was used already, or expired. Ask the workspace owner for a new link.
            </p>
            <Link href="/dashboard" className={`${buttonSecondary} mt-6`}>
              Go to the dashboard
            </Link>
          </>
        )}
      </div>
    </main>
  );
}
