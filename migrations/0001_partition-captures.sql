-- Captures grow without bound, so they are range-partitioned by month on created_at: recent months stay
-- small and hot, an old month is dropped or archived by detaching one partition instead of a huge DELETE,
-- and per-prompt sampling over a time window prunes to the partitions it needs.
-- drizzle-kit cannot express PARTITION BY, so this custom migration swaps the table it generated for a
-- partitioned one with the same columns, constraint and index names (later generated diffs still apply).
ALTER TABLE "captures" RENAME TO "captures_unpartitioned";--> statement-breakpoint
ALTER TABLE "captures_unpartitioned" RENAME CONSTRAINT "captures_id_created_at_pk" TO "captures_unpartitioned_pk";--> statement-breakpoint
ALTER INDEX "captures_prompt_created_idx" RENAME TO "captures_unpartitioned_prompt_created_idx";--> statement-breakpoint
CREATE TABLE "captures" (LIKE "captures_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("created_at");--> statement-breakpoint
ALTER TABLE "captures" ADD CONSTRAINT "captures_id_created_at_pk" PRIMARY KEY ("id", "created_at");--> statement-breakpoint
CREATE INDEX "captures_prompt_created_idx" ON "captures" USING btree ("prompt_id", "created_at");--> statement-breakpoint
-- Safety net: a row outside every monthly partition (a clock far off, a spool drained months later)
-- still lands somewhere instead of failing the batch.
CREATE TABLE "captures_default" PARTITION OF "captures" DEFAULT;--> statement-breakpoint
INSERT INTO "captures" SELECT * FROM "captures_unpartitioned";--> statement-breakpoint
DROP TABLE "captures_unpartitioned";--> statement-breakpoint
-- Creates the monthly partitions from the current month to months_ahead months ahead. Rows that already
-- sit in the default partition for a new month are moved into it first (ATTACH would refuse otherwise).
-- Called by every migration run and by the capture writer at start and every few hours.
CREATE OR REPLACE FUNCTION proofgate_ensure_capture_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  base timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  lo timestamptz;
  hi timestamptz;
  part text;
  created integer := 0;
BEGIN
  -- Two processes starting together must not race to create the same partition.
  PERFORM pg_advisory_xact_lock(hashtext('proofgate_ensure_capture_partitions'));
  FOR m IN 0..months_ahead LOOP
    lo := base + make_interval(months => m);
    hi := lo + interval '1 month';
    part := 'captures_' || to_char(lo AT TIME ZONE 'UTC', 'YYYY_MM');
    CONTINUE WHEN to_regclass(quote_ident(part)) IS NOT NULL;
    EXECUTE format('CREATE TABLE %I (LIKE captures INCLUDING DEFAULTS)', part);
    EXECUTE format(
      'WITH moved AS (DELETE FROM captures_default WHERE created_at >= %L AND created_at < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
      lo, hi, part);
    EXECUTE format('ALTER TABLE captures ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
    created := created + 1;
  END LOOP;
  RETURN created;
END
$fn$;--> statement-breakpoint
SELECT proofgate_ensure_capture_partitions(3);
