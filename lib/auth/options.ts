import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { getRuntime } from "@/lib/runtime";
import { dummyPasswordHash, verifyPassword } from "./password";
import { authSecret } from "./secret";
import { countAttempt } from "./throttle";
import { TOO_MANY_SIGN_INS } from "./throttle-errors";
import { createUserWithWorkspace, findUserByEmail } from "./users";

const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

let options: NextAuthOptions | undefined;

/**
 * next-auth's options, built on first use at run time (never at build time, which would write a
 * secret into the build machine's data directory). Email and password always; GitHub and Google
 * when their client id and secret are set. Sessions are signed JWT cookies, so any instance that
 * shares the secret accepts them without a session table.
 */
export function authOptions(): NextAuthOptions {
  if (options) return options;
  // Without NEXTAUTH_URL, next-auth builds its redirects from the Host header; otherwise it would
  // send everyone to localhost:3000 whatever port or name the server answers on.
  if (!process.env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= "true";
  options = {
    secret: authSecret(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials) {
          if (!credentials?.email || !credentials.password) return null;
          const runtime = await getRuntime();
          // Counted before the password is checked, so guessing costs attempts whatever the answer.
          if (
            (await countAttempt(runtime.store, runtime.config, "signIn", credentials.email)) !==
            null
          ) {
            throw new Error(TOO_MANY_SIGN_INS);
          }
          const { db } = runtime.database;
          const user = await findUserByEmail(db, credentials.email);
          const ok = await verifyPassword(
            user?.passwordHash ?? (await dummyPasswordHash()),
            credentials.password,
          );
          if (!user?.passwordHash || !ok) return null;
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (!account || account.type === "credentials") return true;
        if (!user.email) return "/signin?error=OAuthNoEmail";
        // Google says whether it verified the address; an unverified one could claim someone
        // else's account, so it is refused.
        if (account.provider === "google" && profile?.email_verified === false) {
          return "/signin?error=OAuthUnverifiedEmail";
        }
        const runtime = await getRuntime();
        const { db } = runtime.database;
        if (!(await findUserByEmail(db, user.email))) {
          await createUserWithWorkspace(db, runtime.config, { email: user.email, name: user.name });
        }
        return true;
      },
      async jwt({ token, user }) {
        if (user?.email) {
          const { db } = (await getRuntime()).database;
          token.uid = (await findUserByEmail(db, user.email))?.id;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
  return options;
}

/** The OAuth providers whose environment variables are set, for the sign-in page's buttons. */
export function oauthProviderIds(): Array<"github" | "google"> {
  const ids: Array<"github" | "google"> = [];
  if (process.env.GITHUB_CLIENT_ID && process.env.GITHUB_CLIENT_SECRET) ids.push("github");
  if (process.env.GOOGLE_CLIENT_ID && process.env.GOOGLE_CLIENT_SECRET) ids.push("google");
  return ids;
}

function oauthProviders() {
  const env = process.env;
  return oauthProviderIds().map((id) =>
    id === "github"
      ? GitHubProvider({
          clientId: env.GITHUB_CLIENT_ID ?? "",
          clientSecret: env.GITHUB_CLIENT_SECRET ?? "",
        })
      : GoogleProvider({
          clientId: env.GOOGLE_CLIENT_ID ?? "",
          clientSecret: env.GOOGLE_CLIENT_SECRET ?? "",
        }),
  );
}
