import type { DefaultSession } from "next-auth";

// The session carries Tollgate's user id; memberships are read from the database per request, so
// a removed member loses access at once rather than when their token expires.
declare module "next-auth" {
  interface Session {
    user?: DefaultSession["user"] & { id?: string };
  }
  interface Profile {
    email_verified?: boolean;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
  }
}
