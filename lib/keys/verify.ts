import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys, tenants } from "@/db/schema";
import { GatewayError } from "@/lib/errors";
import { type Store, withStore } from "@/lib/store";
import { hashKey, KEY_PATTERN } from "./secret";

/**
 * How long a verified key is trusted without asking the database again: each key costs at most
 * one query per TTL. Changes to a tenant (tier, caps, keys) do not wait for it: they bump the
 * tenant's version in the shared store, which every request reads with its admission, so the TTL
 * only matters while the store is unreachable. At 1 s, traffic spread over many keys read Postgres
 * on nearly every call (the benchmark's 1,000 keys: 2.7× the CPU per call).
 */
export const KEY_CACHE_TTL_MS = 30_000;
/** An unknown key is remembered briefly: a client retrying a bad key costs one query a second. */
const UNKNOWN_KEY_TTL_MS = 1000;
/** Entries kept at most; random keys sprayed at the gateway must not grow memory without end. */
export const MAX_ENTRIES = 50_000;

/** Store key of a tenant's version: bumped by every change that a cached principal may miss. */
export function tenantVersionKey(store: Store, tenantId: string): string {
  return `${store.prefix}:tv:${tenantId}`;
}

/** What the gateway knows about the caller once its key is verified. */
export interface KeyPrincipal {
  keyId: string;
  keyName: string;
  tenantId: string;
  tier: string;
  /** The tenant's own cap when overridden (null there: uncapped); undefined: the tier's. */
  tenantBudgetNanoUsd: number | null | undefined;
  keyRequestsPerMinute: number | null;
  keyTokensPerMinute: number | null;
  keyBudgetNanoUsd: number | null;
  /** The tenant's version when this was read; a different one in the store means stale. */
  version: string;
}

interface Entry {
  principal: KeyPrincipal | null;
  expiresAt: number;
}

const INVALID_KEY_MESSAGE =
  "Incorrect API key provided. Pass a Tollgate key (tg_…) as 'Authorization: Bearer <key>'; keys are issued in the dashboard or through the admin API.";
const MISSING_KEY_MESSAGE =
  "You didn't provide an API key. Pass a Tollgate key (tg_…) as 'Authorization: Bearer <key>'; keys are issued in the dashboard or through the admin API.";

export class KeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Db,
    private readonly store: Store,
  ) {}

  /** Resolves an Authorization header to its key, or throws 401 `invalid_api_key`. */
  async verify(authorization: string | null): Promise<KeyPrincipal> {
    const secret = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (!secret) throw new GatewayError("invalid_api_key", MISSING_KEY_MESSAGE);
    if (!KEY_PATTERN.test(secret)) {
      throw new GatewayError("invalid_api_key", INVALID_KEY_MESSAGE);
    }
    const hash = hashKey(secret);
    const now = Date.now();
    let entry = this.entries.get(hash);
    if (!entry || entry.expiresAt <= now) {
      const principal = await this.load(hash);
      entry = { principal, expiresAt: now + (principal ? KEY_CACHE_TTL_MS : UNKNOWN_KEY_TTL_MS) };
      if (this.entries.size >= MAX_ENTRIES) this.evict(now);
      this.entries.set(hash, entry);
    }
    if (!entry.principal) throw new GatewayError("invalid_api_key", INVALID_KEY_MESSAGE);
    return entry.principal;
  }

  /** Keys remembered, known or not. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops expired entries, then the oldest tenth if that was not enough. */
  private evict(now: number): void {
    for (const [hash, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(hash);
    let excess = this.entries.size - Math.floor(MAX_ENTRIES * 0.9);
    for (const hash of this.entries.keys()) {
      if (excess-- <= 0) break;
      this.entries.delete(hash);
    }
  }

  forget(hash: string): void {
    this.entries.delete(hash);
  }

  /** Drops every entry, e.g. after a tenant's tier or cap changed on this instance. */
  clear(): void {
    this.entries.clear();
  }

  /**
   * Call after changing a tenant's tier or caps, or one of its keys: this instance forgets what it
   * cached, and the version bump makes every other instance re-read the tenant on its next request.
   */
  async tenantChanged(tenantId: string): Promise<void> {
    this.clear();
    await withStore(this.store, (redis) => redis.incr(tenantVersionKey(this.store, tenantId)));
  }

  /** Forgets the cached principal of one key, so that its next request reads it afresh. */
  forgetPrincipal(principal: KeyPrincipal): void {
    for (const [hash, entry] of this.entries) {
      if (entry.principal?.keyId === principal.keyId) this.entries.delete(hash);
    }
  }

  private async load(hash: string): Promise<KeyPrincipal | null> {
    const [row] = await this.db
      .select({ key: apiKeys, tenant: tenants })
      .from(apiKeys)
      .innerJoin(tenants, eq(apiKeys.tenantId, tenants.id))
      .where(eq(apiKeys.keyHash, hash));
    if (!row || row.key.revokedAt) return null;
    const version = await withStore(this.store, (redis) =>
      redis.get<string | number>(tenantVersionKey(this.store, row.tenant.id)),
    );
    return {
      version: String(version ?? 0),
      keyId: row.key.id,
      keyName: row.key.name,
      tenantId: row.tenant.id,
      tier: row.tenant.tier,
      tenantBudgetNanoUsd: row.tenant.budgetOverridden
        ? row.tenant.monthlyBudgetNanoUsd
        : undefined,
      keyRequestsPerMinute: row.key.requestsPerMinute,
      keyTokensPerMinute: row.key.tokensPerMinute,
      keyBudgetNanoUsd: row.key.monthlyBudgetNanoUsd,
    };
  }
}
