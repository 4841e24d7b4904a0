ALTER TABLE "client_keys" ADD COLUMN "rpm" integer;--> statement-breakpoint
ALTER TABLE "client_keys" ADD COLUMN "tpm" integer;--> statement-breakpoint
ALTER TABLE "client_keys" ADD COLUMN "daily_usd" double precision;--> statement-breakpoint
ALTER TABLE "client_keys" ADD COLUMN "monthly_usd" double precision;