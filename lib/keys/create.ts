import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, tenants } from "@/db/schema";
import { GatewayError } from "@/lib/errors";
import { displayPrefix, generateKeySecret, hashKey, newId } from "./secret";

export interface CreatedKey {
  id: string;
  name: string;
  /** The whole key: returned once, never stored. */
  key: string;
  prefix: string;
  createdAt: string;
}

/** Issues a key for a tenant. Only the hash and a display prefix reach the database. */
export async function createKey(db: Db, tenantId: string, name: string): Promise<CreatedKey> {
  const [tenant] = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!tenant) throw new GatewayError("not_found", `No tenant with id "${tenantId}".`);
  const secret = generateKeySecret();
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId("key"),
      tenantId,
      name,
      keyHash: hashKey(secret),
      displayPrefix: displayPrefix(secret),
    })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return {
    id: row.id,
    name: row.name,
    key: secret,
    prefix: row.displayPrefix,
    createdAt: row.createdAt.toISOString(),
  };
}
