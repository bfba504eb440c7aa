DROP INDEX "alert_deliveries_once";--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD COLUMN "threshold_nano_usd" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_deliveries_once" ON "alert_deliveries" USING btree ("tenant_id","webhook_id","period","threshold_percent","threshold_nano_usd");