import { randomBytes } from "node:crypto";

/** A request id for logs, headers and the usage ledger: `req_` and 20 hex characters. */
export function newRequestId(): string {
  return `req_${randomBytes(10).toString("hex")}`;
}
