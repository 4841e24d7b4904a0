CREATE TABLE "capture_quarantine" (
	"id" uuid PRIMARY KEY NOT NULL,
	"capture_id" text,
	"reason" text NOT NULL,
	"line" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "capture_quarantine_capture_idx" ON "capture_quarantine" USING btree ("capture_id");--> statement-breakpoint
CREATE INDEX "capture_quarantine_created_idx" ON "capture_quarantine" USING btree ("created_at");