import { desc, eq, inArray, sql } from "drizzle-orm";
import type { CaptureRecord } from "../capture-record.ts";
import type { Db } from "../client.ts";
import { captures, type CaptureRow } from "../schema/captures.ts";
import { prompts } from "../schema/prompts.ts";

/** 23 parameters per row: stay well under Postgres's 65,535 bind parameters per statement. */
const ROWS_PER_STATEMENT = 1000;

function toRow(r: CaptureRecord): typeof captures.$inferInsert {
  return {
    id: r.id,
    createdAt: r.createdAt,
    promptId: r.promptId,
    fingerprint: r.fingerprint,
    endpoint: r.endpoint,
    provider: r.provider,
    stream: r.stream,
    requestedModel: r.requestedModel,
    servedModel: r.servedModel,
    route: r.route,
    status: r.status,
    request: r.request ?? null,
    response: r.response ?? null,
    outputText: r.outputText,
    toolCalls: r.toolCalls,
    error: r.error,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    costUsd: r.costUsd,
    latencyMs: r.latencyMs,
    ttfbMs: r.ttfbMs,
    clientKeyId: r.clientKeyId,
    upstreamRequestId: r.upstreamRequestId,
  };
}

interface PromptDelta {
  record: CaptureRecord;
  count: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  first: Date;
  last: Date;
}

/**
 * Writes a batch of captures and folds them into their prompts' counters, in one transaction.
 * Idempotent: a capture already stored (a retried batch, a re-drained spool file) is skipped by
 * `on conflict do nothing`, and only rows actually inserted count towards the prompts' aggregates.
 * Returns how many captures were new.
 */
export async function insertCaptureBatch(db: Db, records: readonly CaptureRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  return db.transaction(async (tx) => {
    const byId = new Map(records.map((r) => [r.id, r]));
    const deltas = new Map<string, PromptDelta>();
    let inserted = 0;
    for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
      const rows = records.slice(i, i + ROWS_PER_STATEMENT).map(toRow);
      const done = await tx.insert(captures).values(rows).onConflictDoNothing().returning({ id: captures.id });
      inserted += done.length;
      for (const { id } of done) {
        const r = byId.get(id);
        if (!r) continue;
        const d = deltas.get(r.promptId) ?? { record: r, count: 0, errors: 0, inputTokens: 0, outputTokens: 0, cost: 0, first: r.createdAt, last: r.createdAt };
        d.count += 1;
        if (r.status >= 400 || r.error) d.errors += 1;
        d.inputTokens += r.inputTokens ?? 0;
        d.outputTokens += r.outputTokens ?? 0;
        d.cost += r.costUsd ?? 0;
        if (r.createdAt < d.first) d.first = r.createdAt;
        if (r.createdAt >= d.last) {
          d.last = r.createdAt;
          d.record = r;
        }
        deltas.set(r.promptId, d);
      }
    }
    if (deltas.size === 0) return inserted;
    // Sorted so concurrent writers lock prompt rows in the same order and never deadlock.
    const values = [...deltas.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, d]) => ({
        id,
        name: d.record.promptName,
        source: d.record.promptName ? ("header" as const) : ("fingerprint" as const),
        fingerprint: d.record.fingerprint,
        template: d.record.template,
        endpoint: d.record.endpoint,
        model: d.record.requestedModel,
        captureCount: d.count,
        errorCount: d.errors,
        inputTokens: d.inputTokens,
        outputTokens: d.outputTokens,
        costUsd: d.cost,
        firstSeenAt: d.first,
        lastSeenAt: d.last,
      }));
    await tx
      .insert(prompts)
      .values(values)
      .onConflictDoUpdate({
        target: prompts.id,
        set: {
          captureCount: sql`${prompts.captureCount} + excluded.capture_count`,
          errorCount: sql`${prompts.errorCount} + excluded.error_count`,
          inputTokens: sql`${prompts.inputTokens} + excluded.input_tokens`,
          outputTokens: sql`${prompts.outputTokens} + excluded.output_tokens`,
          costUsd: sql`${prompts.costUsd} + excluded.cost_usd`,
          firstSeenAt: sql`least(${prompts.firstSeenAt}, excluded.first_seen_at)`,
          lastSeenAt: sql`greatest(${prompts.lastSeenAt}, excluded.last_seen_at)`,
          // The latest template and model win; a renamed display name is never overwritten.
          model: sql`case when excluded.last_seen_at >= ${prompts.lastSeenAt} then excluded.model else ${prompts.model} end`,
          fingerprint: sql`case when excluded.last_seen_at >= ${prompts.lastSeenAt} then excluded.fingerprint else ${prompts.fingerprint} end`,
          template: sql`case when excluded.last_seen_at >= ${prompts.lastSeenAt} then excluded.template else ${prompts.template} end`,
        },
      });
    return inserted;
  });
}

/** The most recent captures of a prompt (served by the (prompt_id, created_at) index). */
export async function recentCaptures(db: Db, promptId: string, limit = 20): Promise<CaptureRow[]> {
  return db.select().from(captures).where(eq(captures.promptId, promptId)).orderBy(desc(captures.createdAt)).limit(limit);
}

/** Whether each id is stored; used by tests and by operators checking a spool drain. */
export async function countCapturesByIds(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  let found = 0;
  for (let i = 0; i < ids.length; i += 2000) {
    const chunk = ids.slice(i, i + 2000);
    const rows = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(captures)
      .where(inArray(captures.id, chunk));
    found += Number(rows[0]?.n ?? 0);
  }
  return found;
}

/** Which of these upstream request ids have a capture: "was this call recorded?" for operators and tests. */
export async function capturedUpstreamRequestIds(db: Db, upstreamIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < upstreamIds.length; i += 2000) {
    const rows = await db
      .select({ id: captures.upstreamRequestId })
      .from(captures)
      .where(inArray(captures.upstreamRequestId, upstreamIds.slice(i, i + 2000)));
    for (const r of rows) if (r.id) found.add(r.id);
  }
  return found;
}
