import { createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { alertDeliveries, alertSettings, alertWebhooks } from "@/db/schema";
import type { SettledSpend } from "@/lib/budgets/settle";
import { trackCall } from "@/lib/lifecycle";
import type { Logger } from "@/lib/log";
import { nanoToUsd } from "@/lib/pricing/units";
import type { Runtime } from "@/lib/runtime";
import type { Threshold } from "./thresholds";

/** Attempts per delivery, and the first wait between them (doubled each time, with jitter). */
const MAX_ATTEMPTS = 6;
const RETRY_BASE_MS = Number(process.env.TOLLGATE_ALERT_RETRY_BASE_MS ?? 1000);
const TIMEOUT_MS = 5000;

/** `sha256=` and the hex HMAC-SHA256 of the raw body under the tenant's signing secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Records one delivery per webhook for a crossed threshold and sends them. The insert does nothing
 * when the row exists (unique per tenant, webhook, month and threshold): whoever inserts it sends.
 */
export async function dispatchAlert(
  runtime: Runtime,
  tenantId: string,
  period: string,
  threshold: Threshold,
  spend: SettledSpend,
  log: Logger,
): Promise<void> {
  const { db } = runtime.database;
  const webhooks = await db
    .select()
    .from(alertWebhooks)
    .where(eq(alertWebhooks.tenantId, tenantId));
  if (webhooks.length === 0) return;
  const [settings] = await db
    .select()
    .from(alertSettings)
    .where(eq(alertSettings.tenantId, tenantId));
  if (!settings) return;
  for (const webhook of webhooks) {
    const [row] = await db
      .insert(alertDeliveries)
      .values({
        tenantId,
        webhookId: webhook.id,
        period,
        thresholdPercent: threshold.percent,
        thresholdNanoUsd: threshold.amountNanoUsd,
        status: "pending",
      })
      .onConflictDoNothing()
      .returning({ id: alertDeliveries.id });
    if (!row) continue;
    const body = JSON.stringify({
      type: "budget.threshold_crossed",
      deliveryId: row.id,
      tenantId,
      period: period.slice(0, 7),
      thresholdPercent: threshold.percent || null,
      thresholdUsd: nanoToUsd(threshold.atNanoUsd),
      spendUsd: nanoToUsd(spend.afterNanoUsd),
      capUsd: spend.capNanoUsd === null ? null : nanoToUsd(spend.capNanoUsd),
      spendNanoUsd: spend.afterNanoUsd,
      capNanoUsd: spend.capNanoUsd,
      createdAt: new Date().toISOString(),
    });
    void deliver(runtime, row.id, webhook.url, body, settings.signingSecret, log);
  }
}

/** Sends one delivery, retrying with backoff; every attempt's result is written to its row. */
async function deliver(
  runtime: Runtime,
  id: number,
  url: string,
  body: string,
  secret: string,
  log: Logger,
) {
  const done = trackCall();
  const { db } = runtime.database;
  try {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-tollgate-event": "budget.threshold_crossed",
            "x-tollgate-delivery": String(id),
            "x-tollgate-signature": signature(secret, body),
          },
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        status = res.status;
        if (!res.ok) error = `HTTP ${res.status}`;
      } catch (err) {
        error = (err as Error).message;
      }
      const delivered = error === null;
      const last = delivered || attempt === MAX_ATTEMPTS;
      await db
        .update(alertDeliveries)
        .set({
          attempts: attempt,
          responseStatus: status,
          lastError: error,
          status: delivered ? "delivered" : last ? "failed" : "pending",
          deliveredAt: delivered ? new Date() : null,
        })
        .where(and(eq(alertDeliveries.id, id)));
      if (last) {
        if (!delivered)
          log.warn({ deliveryId: id, error }, "budget alert delivery failed for good");
        return;
      }
      const wait = RETRY_BASE_MS * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
      await new Promise((r) => setTimeout(r, wait));
    }
  } finally {
    done();
  }
}
