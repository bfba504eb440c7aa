"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { callApi } from "@/components/ui/api";
import { ErrorNote } from "@/components/ui/states";
import { buttonPrimary, buttonSecondary, input, label } from "@/components/ui/styles";
import { TOO_MANY_SIGN_INS } from "@/lib/auth/throttle-errors";

const OAUTH_NAMES = { github: "GitHub", google: "Google" } as const;

/**
 * The sign-in and sign-up form. Sign-up creates the account through /api/signup, then both sign in
 * through next-auth's credentials provider, which sets the session cookie.
 */
export function AuthForm({
  mode,
  oauth,
  callbackUrl,
  initialError,
}: {
  mode: "signin" | "signup";
  oauth: Array<keyof typeof OAUTH_NAMES>;
  callbackUrl: string;
  initialError: string | null;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    if (mode === "signup") {
      const created = await callApi("POST", "/api/signup", {
        name: String(form.get("name") ?? "") || undefined,
        email,
        password,
        workspace: String(form.get("workspace") ?? "") || undefined,
      });
      if (!created.ok) {
        setError(created.error);
        setBusy(false);
        return;
      }
    }
    const result = await signIn("credentials", { email, password, redirect: false });
    if (!result || result.error) {
      setError(
        result?.error === TOO_MANY_SIGN_INS
          ? "Too many sign-in attempts for this email. Wait 15 minutes and try again."
          : "Wrong email or password.",
      );
      setBusy(false);
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  const signup = mode === "signup";
  return (
    <div className="space-y-6">
      <form onSubmit={submit} className="space-y-4" aria-describedby="auth-error">
        {signup ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field name="name" label="Your name" autoComplete="name" />
            <Field name="workspace" label="Workspace name" placeholder="Acme" />
          </div>
        ) : null}
        <Field name="email" label="Email" type="email" autoComplete="email" required />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete={signup ? "new-password" : "current-password"}
          minLength={signup ? 8 : undefined}
          hint={signup ? "At least 8 characters." : undefined}
          required
        />
        <div id="auth-error">
          <ErrorNote message={error} />
        </div>
        <button type="submit" className={`${buttonPrimary} w-full`} disabled={busy}>
          {busy ? "Please wait…" : signup ? "Create account" : "Sign in"}
        </button>
      </form>
      {oauth.length > 0 ? (
        <div className="space-y-2">
          <p className="text-center text-xs uppercase tracking-wide text-zinc-400">or</p>
          {oauth.map((id) => (
            <button
              key={id}
              type="button"
              className={`${buttonSecondary} w-full`}
              onClick={() => void signIn(id, { callbackUrl })}
            >
              Continue with {OAUTH_NAMES[id]}
            </button>
          ))}
        </div>
      ) : null}
      <p className="text-center text-sm text-zinc-500">
        {signup ? "Already have an account? " : "New to Tollgate? "}
        <Link
          className="font-medium text-zinc-900 underline-offset-4 hover:underline"
          href={`${signup ? "/signin" : "/signup"}?callbackUrl=${encodeURIComponent(callbackUrl)}`}
        >
          {signup ? "Sign in" : "Create an account"}
        </Link>
      </p>
    </div>
  );
}

function Field({
  name,
  label: text,
  hint,
  ...rest
}: { name: string; label: string; hint?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const id = `field-${name}`;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className={label}>
        {text}
      </label>
      <input
        id={id}
        name={name}
        className={input}
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...rest}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
