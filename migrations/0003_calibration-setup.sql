ALTER TABLE "calibration_batches" ADD COLUMN "models" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "calibrations" ADD COLUMN "setup" jsonb;