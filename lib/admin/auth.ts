import { createHash, timingSafeEqual } from "node:crypto";
import { GatewayError } from "@/lib/errors";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Lets a request through only with `Authorization: Bearer $TOLLGATE_ADMIN_TOKEN`. Without the
 * variable the admin API is off. Digests are compared so that timing says nothing of the token.
 */
export function requireAdmin(request: Request): void {
  const token = process.env.TOLLGATE_ADMIN_TOKEN;
  if (!token) {
    throw new GatewayError(
      "admin_api_disabled",
      "The admin API is disabled. Start Tollgate with TOLLGATE_ADMIN_TOKEN set to enable it.",
    );
  }
  const given = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? "";
  if (!timingSafeEqual(digest(given), digest(token))) {
    throw new GatewayError(
      "invalid_admin_token",
      "Missing or wrong admin token. Send 'Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>'.",
    );
  }
}
