/** next-auth's error codes on /signin?error=…, in words. */
const ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password.",
  OAuthNoEmail: "That account has no email address we can use. Sign up with email instead.",
  OAuthUnverifiedEmail: "Verify your email address with the provider first, then try again.",
  OAuthAccountNotLinked: "Sign in the way you first signed up.",
  SessionRequired: "Sign in to see that page.",
};

export function authErrorMessage(code: string | string[] | undefined): string | null {
  if (typeof code !== "string") return null;
  return ERRORS[code] ?? "Sign-in failed. Try again.";
}

/** Only paths on this site are followed after sign-in; anything else goes to the dashboard. */
export function safeCallbackUrl(value: string | string[] | undefined): string {
  if (typeof value === "string" && value.startsWith("/") && !value.startsWith("//")) return value;
  return "/dashboard";
}
