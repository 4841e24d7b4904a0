CREATE TABLE "calibration_batches" (
	"calibration_id" text NOT NULL,
	"batch" integer NOT NULL,
	"first_sample" integer NOT NULL,
	"captures" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"stats" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"evaluated_at" timestamp with time zone,
	CONSTRAINT "calibration_batches_calibration_id_batch_pk" PRIMARY KEY("calibration_id","batch")
);
--> statement-breakpoint
CREATE TABLE "calibrations" (
	"id" text PRIMARY KEY NOT NULL,
	"prompt_id" text NOT NULL,
	"baseline_model" text NOT NULL,
	"candidates" jsonb NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"stop_reason" text,
	"max_pairs" integer NOT NULL,
	"max_cost_usd" double precision NOT NULL,
	"batch_size" integer NOT NULL,
	"alpha" double precision NOT NULL,
	"margins" jsonb NOT NULL,
	"seed" integer NOT NULL,
	"spend_usd" double precision DEFAULT 0 NOT NULL,
	"report" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "judgments" (
	"id" text PRIMARY KEY NOT NULL,
	"calibration_id" text NOT NULL,
	"capture_id" text NOT NULL,
	"sample" integer NOT NULL,
	"batch" integer NOT NULL,
	"model" text NOT NULL,
	"judge_model" text NOT NULL,
	"scores" jsonb NOT NULL,
	"details" jsonb,
	"judge_calls" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replays" (
	"id" text PRIMARY KEY NOT NULL,
	"calibration_id" text NOT NULL,
	"capture_id" text NOT NULL,
	"sample" integer NOT NULL,
	"batch" integer NOT NULL,
	"model" text NOT NULL,
	"role" text NOT NULL,
	"provider" text NOT NULL,
	"status" integer NOT NULL,
	"output_text" text,
	"response" jsonb,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"latency_ms" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "calibration_batches_status_idx" ON "calibration_batches" USING btree ("status");--> statement-breakpoint
CREATE INDEX "calibrations_prompt_created_idx" ON "calibrations" USING btree ("prompt_id","created_at");--> statement-breakpoint
CREATE INDEX "calibrations_status_idx" ON "calibrations" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "judgments_calibration_sample_model_idx" ON "judgments" USING btree ("calibration_id","sample","model");--> statement-breakpoint
CREATE INDEX "judgments_calibration_batch_idx" ON "judgments" USING btree ("calibration_id","batch");--> statement-breakpoint
CREATE UNIQUE INDEX "replays_calibration_sample_model_idx" ON "replays" USING btree ("calibration_id","sample","model");--> statement-breakpoint
CREATE INDEX "replays_calibration_batch_idx" ON "replays" USING btree ("calibration_id","batch");