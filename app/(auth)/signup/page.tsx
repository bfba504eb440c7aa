import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth/auth-form";
import { oauthProviderIds } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";
import { authErrorMessage, safeCallbackUrl } from "../auth-page";

export const metadata: Metadata = { title: "Sign up · Tollgate" };
export const dynamic = "force-dynamic";

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  return (
    <>
      <h1 className="text-xl font-semibold tracking-tight text-zinc-900">Create your account</h1>
      <p className="mb-6 mt-1 text-sm text-zinc-500">
        You get a workspace on the free tier. Create a key and call the API in a minute.
      </p>
      <AuthForm
        mode="signup"
        oauth={oauthProviderIds()}
        callbackUrl={callbackUrl}
        initialError={authErrorMessage(params.error)}
      />
    </>
  );
}
