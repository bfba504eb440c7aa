import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const KEY_BODY_LENGTH = 40;
export const KEY_PATTERN = /^tg_[0-9A-Za-z]{32,64}$/;

/** A new API key: `tg_` and 40 base62 characters (~238 bits of randomness). */
export function generateKeySecret(): string {
  // 248 is the largest multiple of 62 below 256: rejecting bytes above it keeps every character
  // equally likely.
  let body = "";
  while (body.length < KEY_BODY_LENGTH) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && body.length < KEY_BODY_LENGTH) body += ALPHABET[byte % 62];
    }
  }
  return `tg_${body}`;
}

/**
 * SHA-256 of the key. A fast hash is right here (unlike passwords): keys carry ~238 random bits, so
 * there is nothing to brute-force, and verification sits on every request's path.
 */
export function hashKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** What people see to tell keys apart: `tg_` and the next 8 characters. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, 11);
}

/** Short random ids with a type prefix, e.g. `ten_…`, `key_…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}
