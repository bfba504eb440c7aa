import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const slot = globalThis as unknown as { __tollgateAuthSecret?: string };

/**
 * The key that signs dashboard sessions: `NEXTAUTH_SECRET` or `AUTH_SECRET` when set, else one
 * generated on first start into the data directory (`auth-secret`, mode 0600), so the embedded
 * quick start needs no configuration and sessions survive restarts. Several instances sharing one
 * Postgres must set the variable, since each would otherwise generate its own.
 */
export function authSecret(): string {
  const fromEnv = process.env.NEXTAUTH_SECRET || process.env.AUTH_SECRET;
  if (fromEnv) return fromEnv;
  if (slot.__tollgateAuthSecret) return slot.__tollgateAuthSecret;
  const dir = path.resolve(/*turbopackIgnore: true*/ process.env.TOLLGATE_DATA_DIR ?? ".data");
  const file = path.join(dir, "auth-secret");
  let secret: string;
  try {
    secret = readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(dir, { recursive: true });
    secret = randomBytes(32).toString("base64url");
    // "wx" fails if another process won the race; its secret is then the one to use.
    try {
      writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    } catch {
      secret = readFileSync(file, "utf8").trim();
    }
  }
  slot.__tollgateAuthSecret = secret;
  return secret;
}
