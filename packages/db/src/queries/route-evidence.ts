import { and, desc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { rowsOf } from "../client.ts";
import { calibrations, type CalibrationRow } from "../schema/calibrations.ts";
import { captures } from "../schema/captures.ts";

/** The newest finished calibration of a prompt that tried this candidate: the only report that is current. */
export async function latestCalibrationFor(db: Db, promptId: string, model: string): Promise<CalibrationRow | undefined> {
  const [row] = await db
    .select()
    .from(calibrations)
    .where(
      and(
        eq(calibrations.promptId, promptId),
        eq(calibrations.status, "completed"),
        sql`${calibrations.candidates} @> ${JSON.stringify([model])}::jsonb`,
      ),
    )
    .orderBy(desc(calibrations.createdAt))
    .limit(1);
  return row;
}

/** The template fingerprints of the captures a calibration sampled (normally exactly one). */
export async function calibrationFingerprints(db: Db, calibrationId: string): Promise<string[]> {
  const rows = rowsOf<{ fingerprint: string }>(
    await db.execute(sql`
      select distinct c.fingerprint
      from calibration_batches b
      cross join lateral jsonb_array_elements(b.captures) s
      join captures c on c.id = (s->>'captureId')::uuid and c.created_at = (s->>'createdAt')::timestamptz
      where b.calibration_id = ${calibrationId}
    `),
  );
  return rows.map((r) => r.fingerprint);
}

/** One capture by id within a prompt (the shadow job's input); the prompt index bounds the scan. */
export async function getPromptCapture(db: Db, promptId: string, captureId: string) {
  const [row] = await db
    .select()
    .from(captures)
    .where(and(eq(captures.promptId, promptId), eq(captures.id, captureId)));
  return row;
}

export interface RouteSpend {
  servedModel: string;
  route: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Traffic of a prompt since a moment, by served model and route: what realised savings are built from. */
export async function routeSpendSince(db: Db, promptId: string, since: Date): Promise<RouteSpend[]> {
  const rows = await db
    .select({
      servedModel: captures.servedModel,
      route: captures.route,
      requests: sql<number>`count(*)`,
      inputTokens: sql<number>`coalesce(sum(${captures.inputTokens}), 0)`,
      outputTokens: sql<number>`coalesce(sum(${captures.outputTokens}), 0)`,
      costUsd: sql<number>`coalesce(sum(${captures.costUsd}), 0)`,
    })
    .from(captures)
    .where(and(eq(captures.promptId, promptId), gte(captures.createdAt, since)))
    .groupBy(captures.servedModel, captures.route);
  return rows.map((r) => ({
    ...r,
    requests: Number(r.requests),
    inputTokens: Number(r.inputTokens),
    outputTokens: Number(r.outputTokens),
    costUsd: Number(r.costUsd),
  }));
}

/**
 * The baseline's observed latency on a prompt (95th percentiles over its latest successful captures):
 * the default candidate time-out is derived from it.
 */
export async function baselineLatency(
  db: Db,
  promptId: string,
  model: string,
): Promise<{ n: number; latencyP95Ms: number | null; ttfbP95Ms: number | null }> {
  const [row] = rowsOf<{ n: string | number; latency: number | null; ttfb: number | null }>(
    await db.execute(sql`
      select count(*) as n,
             percentile_cont(0.95) within group (order by latency_ms) as latency,
             percentile_cont(0.95) within group (order by ttfb_ms) as ttfb
      from (
        select latency_ms, ttfb_ms from captures
        where prompt_id = ${promptId} and served_model = ${model} and status between 200 and 299
        order by created_at desc limit 500
      ) recent
    `),
  );
  return { n: Number(row?.n ?? 0), latencyP95Ms: row?.latency ?? null, ttfbP95Ms: row?.ttfb ?? null };
}
