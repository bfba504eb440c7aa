import { createHash } from "node:crypto";
import type { GatewayConfig } from "@/lib/config/load";
import { GatewayError } from "@/lib/errors";
import { type Store, withStore } from "@/lib/store";

const WINDOWS = {
  signIn: { windowMs: 15 * 60_000, limit: (c: GatewayConfig) => c.auth.signInAttemptsPer15Minutes },
  signUp: { windowMs: 60 * 60_000, limit: (c: GatewayConfig) => c.auth.signUpsPerHour },
} as const;

/**
 * Counts one dashboard sign-in or sign-up attempt in fixed windows in the shared store, so every
 * instance sees them (`auth` in the config sets the limits). Sign-in is counted per email, the
 * account a guesser targets, which no header can disguise; sign-up per client address. Over the
 * limit it answers the milliseconds until the window ends, else null.
 */
export async function countAttempt(
  store: Store,
  config: GatewayConfig,
  kind: keyof typeof WINDOWS,
  who: string,
): Promise<number | null> {
  const { windowMs, limit } = WINDOWS[kind];
  const nowMs = Date.now();
  const window = Math.floor(nowMs / windowMs);
  // Hashed: the store never holds an email address or an IP in the clear.
  const id = createHash("sha256").update(who.trim().toLowerCase()).digest("base64url");
  const key = `${store.prefix}:auth:${kind}:${id}:${window}`;
  const count = await withStore(store, async (redis) => {
    const pipe = redis.pipeline();
    // The expiry is set with the key, in the same round trip, so no counter outlives its window.
    pipe.set(key, 0, { nx: true, px: windowMs });
    pipe.incr(key);
    const [, n] = await pipe.exec();
    return Number(n);
  });
  return count > limit(config) ? (window + 1) * windowMs - nowMs : null;
}

/**
 * The client's address: the first X-Forwarded-For hop. Next.js fills the header from the socket
 * when a client does not send one; behind a proxy, the proxy must set it (see the README).
 */
export function clientAddress(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}

/** Refuses a sign-up from an address that has made too many this hour, with retry-after. */
export async function throttleSignUp(
  store: Store,
  config: GatewayConfig,
  request: Request,
): Promise<void> {
  const waitMs = await countAttempt(store, config, "signUp", clientAddress(request));
  if (waitMs === null) return;
  const minutes = Math.ceil(waitMs / 60_000);
  const error = new GatewayError(
    "rate_limit_exceeded",
    `Too many sign-ups from this address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  );
  error.headers["retry-after"] = String(Math.ceil(waitMs / 1000));
  throw error;
}
