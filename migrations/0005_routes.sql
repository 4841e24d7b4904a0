CREATE TABLE "route_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"prompt_id" text NOT NULL,
	"kind" text NOT NULL,
	"actor" text NOT NULL,
	"model" text,
	"calibration_id" text,
	"reason" text NOT NULL,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routes" (
	"prompt_id" text PRIMARY KEY NOT NULL,
	"state" text DEFAULT 'baseline' NOT NULL,
	"baseline_model" text NOT NULL,
	"candidate_model" text,
	"calibration_id" text,
	"fingerprint" text,
	"contract" jsonb,
	"setup" jsonb,
	"calibrated" jsonb,
	"auto_approve" boolean DEFAULT false NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"reverted_at" timestamp with time zone,
	"revert_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shadow_samples" (
	"id" text PRIMARY KEY NOT NULL,
	"prompt_id" text NOT NULL,
	"route_version" integer NOT NULL,
	"capture_id" text NOT NULL,
	"candidate_model" text NOT NULL,
	"baseline_model" text NOT NULL,
	"scores" jsonb NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "route_events_created_idx" ON "route_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "route_events_prompt_idx" ON "route_events" USING btree ("prompt_id","created_at");--> statement-breakpoint
CREATE INDEX "shadow_samples_prompt_idx" ON "shadow_samples" USING btree ("prompt_id","route_version","created_at");