import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { rowsOf, type Db } from "../client.ts";
import type { AxisScores } from "../schema/calibration-judgments.ts";
import { calibrations, type CalibrationRow } from "../schema/calibrations.ts";

/** A prompt's calibrations, newest first: its history on the prompt page. */
export async function listPromptCalibrations(db: Db, promptId: string, limit = 20): Promise<CalibrationRow[]> {
  return db
    .select()
    .from(calibrations)
    .where(eq(calibrations.promptId, promptId))
    .orderBy(desc(calibrations.createdAt), desc(calibrations.id))
    .limit(limit);
}

export interface PromptCalibrationSummary {
  /** The newest completed calibration, whose reports give the best candidate and its verdict. */
  latestCompleted: CalibrationRow | null;
  /** Whether a calibration of the prompt is running now. */
  running: boolean;
}

/** For the prompts list: one lookup for a page of prompts, not one per row. */
export async function promptCalibrationSummaries(db: Db, promptIds: readonly string[]): Promise<Map<string, PromptCalibrationSummary>> {
  const result = new Map<string, PromptCalibrationSummary>();
  if (promptIds.length === 0) return result;
  const ids = [...promptIds];
  const [completed, running] = await Promise.all([
    db
      .selectDistinctOn([calibrations.promptId])
      .from(calibrations)
      .where(and(inArray(calibrations.promptId, ids), eq(calibrations.status, "completed")))
      .orderBy(calibrations.promptId, desc(calibrations.finishedAt), desc(calibrations.id)),
    db
      .selectDistinctOn([calibrations.promptId], { promptId: calibrations.promptId })
      .from(calibrations)
      .where(and(inArray(calibrations.promptId, ids), eq(calibrations.status, "running"))),
  ]);
  for (const id of ids) result.set(id, { latestCompleted: null, running: false });
  for (const row of completed) result.get(row.promptId)!.latestCompleted = row;
  for (const row of running) result.get(row.promptId)!.running = true;
  return result;
}

export interface CalibrationProgress {
  batches: number;
  evaluatedBatches: number;
  /** Captures sampled so far: the pairs the calibration has drawn (some may still be in flight). */
  sampled: number;
  replays: number;
  judgments: number;
  /** Statistics stored with the latest evaluated batch (per-candidate verdict so far, spend). */
  latestStats: unknown;
}

/** Where a running calibration stands, for its live progress. */
export async function calibrationProgress(db: Db, calibrationId: string): Promise<CalibrationProgress> {
  const [row] = rowsOf<{
    batches: number;
    evaluated: number;
    sampled: number;
    replays: number;
    judgments: number;
    latest_stats: unknown;
  }>(
    await db.execute(sql`
      select
        (select count(*)::int from calibration_batches where calibration_id = ${calibrationId}) as batches,
        (select count(*)::int from calibration_batches where calibration_id = ${calibrationId} and status = 'evaluated') as evaluated,
        (select coalesce(sum(jsonb_array_length(captures)), 0)::int from calibration_batches where calibration_id = ${calibrationId}) as sampled,
        (select count(*)::int from replays where calibration_id = ${calibrationId}) as replays,
        (select count(*)::int from judgments where calibration_id = ${calibrationId}) as judgments,
        (select stats from calibration_batches where calibration_id = ${calibrationId} and status = 'evaluated'
          order by batch desc limit 1) as latest_stats
    `),
  );
  return {
    batches: Number(row?.batches ?? 0),
    evaluatedBatches: Number(row?.evaluated ?? 0),
    sampled: Number(row?.sampled ?? 0),
    replays: Number(row?.replays ?? 0),
    judgments: Number(row?.judgments ?? 0),
    latestStats: row?.latest_stats ?? null,
  };
}

export interface Disagreement {
  sample: number;
  captureId: string;
  scores: AxisScores;
  /** The judge's verdicts in both orders and any format violations, as the judge step stored them. */
  details: unknown;
  /** The captured request (for the varying input) and output, and the candidate's replay of it. */
  request: unknown;
  reference: string | null;
  candidate: string | null;
}

/**
 * The pairs where a candidate agreed least with the captured output, with both outputs and the judge's
 * verdicts: the side-by-side evidence of a parity report.
 */
export async function listDisagreements(db: Db, params: { calibrationId: string; model: string; limit?: number }): Promise<Disagreement[]> {
  const rows = rowsOf<{
    sample: number;
    capture_id: string;
    scores: AxisScores;
    details: unknown;
    request: unknown;
    reference: string | null;
    candidate: string | null;
  }>(
    await db.execute(sql`
      select j.sample, j.capture_id, j.scores, j.details, c.request, c.output_text as reference, r.output_text as candidate
      from judgments j
      join replays r on r.calibration_id = j.calibration_id and r.sample = j.sample and r.model = j.model
      join captures c on c.id = j.capture_id::uuid
      where j.calibration_id = ${params.calibrationId}
        and j.model = ${params.model}
        and least(coalesce((j.scores->>'format')::float8, 1), coalesce((j.scores->>'categorical')::float8, 1),
                  coalesce((j.scores->>'semantic')::float8, 1)) < 1
      order by least(coalesce((j.scores->>'format')::float8, 1), coalesce((j.scores->>'categorical')::float8, 1),
                     coalesce((j.scores->>'semantic')::float8, 1)), j.sample
      limit ${params.limit ?? 6}
    `),
  );
  return rows.map((r) => ({
    sample: Number(r.sample),
    captureId: r.capture_id,
    scores: r.scores,
    details: r.details,
    request: r.request,
    reference: r.reference,
    candidate: r.candidate,
  }));
}
