CREATE TABLE "captures" (
	"id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"prompt_id" text NOT NULL,
	"fingerprint" text NOT NULL,
	"endpoint" text NOT NULL,
	"provider" text NOT NULL,
	"stream" boolean NOT NULL,
	"requested_model" text NOT NULL,
	"served_model" text NOT NULL,
	"route" text NOT NULL,
	"status" integer NOT NULL,
	"request" jsonb,
	"response" jsonb,
	"output_text" text,
	"tool_calls" jsonb,
	"error" text,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost_usd" double precision,
	"latency_ms" double precision NOT NULL,
	"ttfb_ms" double precision,
	"client_key_id" text,
	"upstream_request_id" text,
	CONSTRAINT "captures_id_created_at_pk" PRIMARY KEY("id","created_at")
);
--> statement-breakpoint
CREATE TABLE "client_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "client_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "prompts" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"source" text NOT NULL,
	"fingerprint" text NOT NULL,
	"template" text NOT NULL,
	"endpoint" text NOT NULL,
	"model" text NOT NULL,
	"capture_count" bigint DEFAULT 0 NOT NULL,
	"error_count" bigint DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"renamed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "captures_prompt_created_idx" ON "captures" USING btree ("prompt_id","created_at");--> statement-breakpoint
CREATE INDEX "client_keys_name_idx" ON "client_keys" USING btree ("name");--> statement-breakpoint
CREATE INDEX "prompts_last_seen_idx" ON "prompts" USING btree ("last_seen_at");