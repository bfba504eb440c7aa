import { randomUUID } from "node:crypto";

/**
 * A request id for logs, headers and the usage ledger: `req_` and 20 hex characters. From
 * randomUUID, which draws on a buffered pool; randomBytes makes a system call per request.
 */
export function newRequestId(): string {
  const uuid = randomUUID();
  // 20 of its random hex digits, skipping the fixed version and variant digits: 80 random bits.
  const hex = uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(15, 18) + uuid.slice(20, 23);
  return `req_${hex}${uuid.slice(24, 26)}`;
}
