import { sql } from "drizzle-orm";
import { captureLineKey, encodeCapture } from "../capture-line.ts";
import type { CaptureRecord } from "../capture-record.ts";
import { rowsOf, type Db } from "../client.ts";

/** Statements stay under this much JSON, so a batch of very large bodies is split, not refused. */
const MAX_STATEMENT_BYTES = 16 * 1024 * 1024;

/**
 * The capture row shape, read straight from the capture lines' JSON (camelCase keys as CaptureRecord has
 * them): one parameter per statement instead of 23 per row. Building a 200-row multi-row insert through
 * the query builder cost ~24 ms of CPU per batch; this costs one string join.
 */
const RECORD_COLUMNS = sql.raw(`r(
  "id" uuid, "createdAt" timestamptz, "promptId" text, "fingerprint" text, "endpoint" text, "provider" text,
  "stream" boolean, "requestedModel" text, "servedModel" text, "route" text, "status" integer, "request" jsonb,
  "response" jsonb, "outputText" text, "toolCalls" jsonb, "error" text, "inputTokens" integer,
  "outputTokens" integer, "costUsd" double precision, "latencyMs" double precision, "ttfbMs" double precision,
  "clientKeyId" text, "upstreamRequestId" text)`);

/** What a prompt row takes from its newest capture in the batch. */
const META_COLUMNS = sql.raw(`m("promptId" text, "promptName" text, "fingerprint" text, "template" text, "endpoint" text, "requestedModel" text)`);

/**
 * One statement: insert the captures (`on conflict do nothing`), then fold only the rows actually
 * inserted into their prompts' counters, with each prompt's name, template and model taken from its
 * newest capture in the batch (metaJson holds those lines only). A retried batch or a re-drained spool
 * file therefore stores and counts nothing twice. Prompt rows are upserted in id order so concurrent writers never deadlock.
 */
function statement(linesJson: string, metaJson: string) {
  return sql`
with inserted as (
  insert into captures (id, created_at, prompt_id, fingerprint, endpoint, provider, stream, requested_model,
    served_model, route, status, request, response, output_text, tool_calls, error, input_tokens, output_tokens,
    cost_usd, latency_ms, ttfb_ms, client_key_id, upstream_request_id)
  select "id", "createdAt", "promptId", "fingerprint", "endpoint", "provider", "stream", "requestedModel",
    "servedModel", "route", "status", "request", "response", "outputText", "toolCalls", "error", "inputTokens",
    "outputTokens", "costUsd", "latencyMs", "ttfbMs", "clientKeyId", "upstreamRequestId"
  from jsonb_to_recordset(${linesJson}::jsonb) as ${RECORD_COLUMNS}
  on conflict do nothing
  returning prompt_id, created_at, status, error, input_tokens, output_tokens, cost_usd
), totals as (
  select prompt_id, count(*) as n, count(*) filter (where status >= 400 or error is not null) as errors,
    coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
    coalesce(sum(cost_usd), 0) as cost, min(created_at) as first_seen, max(created_at) as last_seen
  from inserted group by prompt_id
), upserted as (
  insert into prompts as p (id, name, source, fingerprint, template, endpoint, model, capture_count, error_count,
    input_tokens, output_tokens, cost_usd, first_seen_at, last_seen_at)
  select t.prompt_id, m."promptName", case when m."promptName" is null then 'fingerprint' else 'header' end, m."fingerprint",
    m."template", m."endpoint", m."requestedModel", t.n, t.errors, t.input_tokens, t.output_tokens, t.cost, t.first_seen, t.last_seen
  from totals t join jsonb_to_recordset(${metaJson}::jsonb) as ${META_COLUMNS} on m."promptId" = t.prompt_id
  order by t.prompt_id
  on conflict (id) do update set
    capture_count = p.capture_count + excluded.capture_count,
    error_count = p.error_count + excluded.error_count,
    input_tokens = p.input_tokens + excluded.input_tokens,
    output_tokens = p.output_tokens + excluded.output_tokens,
    cost_usd = p.cost_usd + excluded.cost_usd,
    first_seen_at = least(p.first_seen_at, excluded.first_seen_at),
    last_seen_at = greatest(p.last_seen_at, excluded.last_seen_at),
    -- The latest template and model win; a display name set by a rename is never overwritten.
    model = case when excluded.last_seen_at >= p.last_seen_at then excluded.model else p.model end,
    fingerprint = case when excluded.last_seen_at >= p.last_seen_at then excluded.fingerprint else p.fingerprint end,
    template = case when excluded.last_seen_at >= p.last_seen_at then excluded.template else p.template end
  returning 1
)
select (select count(*) from inserted)::int as inserted, (select count(*) from upserted)::int as prompts`;
}

/** Each prompt's newest line in the batch, found without parsing the lines. */
function newestPerPrompt(lines: readonly string[]): string[] {
  const newest = new Map<string, { at: string; line: string }>();
  for (const line of lines) {
    const { promptId, createdAt } = captureLineKey(line);
    const seen = newest.get(promptId);
    if (!seen || createdAt >= seen.at) newest.set(promptId, { at: createdAt, line });
  }
  return [...newest.values()].map((n) => metaOf(n.line));
}

const META_END = ',"outputText":';

/**
 * The part of a line a prompt row reads: encodeCapture writes every META_COLUMNS field before
 * outputText, and a JSON string cannot hold an unescaped quote, so the prefix up to that key, closed,
 * is a complete object. The request and the reply stay out of the statement's second copy.
 */
function metaOf(line: string): string {
  const end = line.indexOf(META_END);
  return end === -1 ? line : `${line.slice(0, end)}}`;
}

async function run(db: Db, lines: readonly string[]): Promise<number> {
  const result = await db.execute(statement(`[${lines.join(",")}]`, `[${newestPerPrompt(lines).join(",")}]`));
  return Number(rowsOf<{ inserted: number }>(result)[0]?.inserted ?? 0);
}

/**
 * Writes capture lines (encodeCapture) and their prompts' counters; returns how many captures were new.
 * Split into statements of at most MAX_STATEMENT_BYTES of JSON; each statement is atomic and idempotent,
 * so a failure between two of them loses nothing when the batch is retried.
 */
export async function insertCaptureLines(db: Db, lines: readonly string[]): Promise<number> {
  let inserted = 0;
  let from = 0;
  let size = 0;
  for (let i = 0; i < lines.length; i++) {
    const length = lines[i]!.length;
    if (i > from && size + length > MAX_STATEMENT_BYTES) {
      inserted += await run(db, lines.slice(from, i));
      from = i;
      size = 0;
    }
    size += length;
  }
  if (lines.length > from) inserted += await run(db, lines.slice(from));
  return inserted;
}

/** insertCaptureLines for records not yet encoded. */
export function insertCaptureBatch(db: Db, records: readonly CaptureRecord[]): Promise<number> {
  return insertCaptureLines(db, records.map(encodeCapture));
}
