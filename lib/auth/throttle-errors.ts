/** What next-auth reports to the sign-in form when an email has made too many attempts. */
export const TOO_MANY_SIGN_INS = "TooManySignInAttempts";
