ALTER TABLE "usage_events" ADD COLUMN "end_user" text;--> statement-breakpoint
CREATE INDEX "usage_events_end_user" ON "usage_events" USING btree ("tenant_id","end_user","created_at");