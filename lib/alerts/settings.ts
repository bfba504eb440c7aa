import { randomBytes } from "node:crypto";
import { and, count, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { alertDeliveries, alertSettings, alertWebhooks } from "@/db/schema";
import { GatewayError } from "@/lib/errors";
import { newId } from "@/lib/keys/secret";

/** Budget alerts at half, four fifths and all of the cap unless the tenant says otherwise. */
export const DEFAULT_THRESHOLDS = [50, 80, 100];
const MAX_WEBHOOKS = 10;

export const webhookInput = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2048),
});
export const thresholdsInput = z.strictObject({
  thresholdsPercent: z
    .array(z.number().int().min(1).max(1000))
    .min(1, "give at least one threshold")
    .max(10),
});

/** A new signing secret: `whsec_` and 32 random bytes, like the receivers' libraries expect. */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** What the page may show of a secret after its one showing: enough to tell two apart. */
function secretHint(secret: string): string {
  return `${secret.slice(0, 10)}…`;
}

/** The tenant's alert settings for the page; the secret only as a hint. */
export async function alertSettingsView(db: Db, tenantId: string) {
  const [settings] = await db
    .select()
    .from(alertSettings)
    .where(eq(alertSettings.tenantId, tenantId));
  const webhooks = await db
    .select({ id: alertWebhooks.id, url: alertWebhooks.url, createdAt: alertWebhooks.createdAt })
    .from(alertWebhooks)
    .where(eq(alertWebhooks.tenantId, tenantId))
    .orderBy(alertWebhooks.createdAt);
  const deliveries = await db
    .select({ delivery: alertDeliveries, url: alertWebhooks.url })
    .from(alertDeliveries)
    .leftJoin(alertWebhooks, eq(alertWebhooks.id, alertDeliveries.webhookId))
    .where(eq(alertDeliveries.tenantId, tenantId))
    .orderBy(desc(alertDeliveries.createdAt))
    .limit(20);
  return {
    thresholdsPercent: settings?.thresholdsPercent ?? DEFAULT_THRESHOLDS,
    secretHint: settings ? secretHint(settings.signingSecret) : null,
    webhooks: webhooks.map((w) => ({ ...w, createdAt: w.createdAt.toISOString() })),
    deliveries: deliveries.map(({ delivery: d, url }) => ({
      id: d.id,
      url,
      period: d.period,
      thresholdPercent: d.thresholdPercent,
      status: d.status,
      attempts: d.attempts,
      responseStatus: d.responseStatus,
      lastError: d.lastError,
      createdAt: d.createdAt.toISOString(),
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
    })),
  };
}

/** The settings row, created with the default thresholds and a new secret when missing. */
async function ensureSettings(db: Db, tenantId: string): Promise<{ createdSecret: string | null }> {
  const secret = newSigningSecret();
  const inserted = await db
    .insert(alertSettings)
    .values({ tenantId, thresholdsPercent: DEFAULT_THRESHOLDS, signingSecret: secret })
    .onConflictDoNothing()
    .returning({ tenantId: alertSettings.tenantId });
  return { createdSecret: inserted.length > 0 ? secret : null };
}

/**
 * Adds a webhook URL. The first one also creates the signing secret, returned here once; later
 * ones are signed with the same secret.
 */
export async function addWebhook(db: Db, tenantId: string, url: string) {
  const [existing] = await db
    .select({ n: count() })
    .from(alertWebhooks)
    .where(eq(alertWebhooks.tenantId, tenantId));
  if ((existing?.n ?? 0) >= MAX_WEBHOOKS) {
    throw new GatewayError(
      "invalid_request",
      `At most ${MAX_WEBHOOKS} webhooks; remove one first.`,
      {
        param: "url",
      },
    );
  }
  const { createdSecret } = await ensureSettings(db, tenantId);
  const [row] = await db
    .insert(alertWebhooks)
    .values({ id: newId("whk"), tenantId, url })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return { id: row.id, url: row.url, signingSecret: createdSecret };
}

/** Removes one of the tenant's webhooks; another tenant's id is a 404. */
export async function removeWebhook(db: Db, tenantId: string, webhookId: string): Promise<void> {
  const rows = await db
    .delete(alertWebhooks)
    .where(and(eq(alertWebhooks.id, webhookId), eq(alertWebhooks.tenantId, tenantId)))
    .returning({ id: alertWebhooks.id });
  if (rows.length === 0) throw new GatewayError("not_found", `No webhook with id "${webhookId}".`);
}

/** Sets the thresholds, sorted and without repeats. */
export async function setThresholds(db: Db, tenantId: string, thresholds: number[]) {
  const sorted = [...new Set(thresholds)].sort((a, b) => a - b);
  await ensureSettings(db, tenantId);
  await db
    .update(alertSettings)
    .set({ thresholdsPercent: sorted, updatedAt: new Date() })
    .where(eq(alertSettings.tenantId, tenantId));
  return { thresholdsPercent: sorted };
}

/** Replaces the signing secret; the new one is returned this once. Old signatures stop verifying. */
export async function rotateSigningSecret(db: Db, tenantId: string) {
  const { createdSecret } = await ensureSettings(db, tenantId);
  if (createdSecret) return { signingSecret: createdSecret };
  const secret = newSigningSecret();
  await db
    .update(alertSettings)
    .set({ signingSecret: secret, updatedAt: new Date() })
    .where(eq(alertSettings.tenantId, tenantId));
  return { signingSecret: secret };
}
