import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { rowsOf } from "../client.ts";
import { calibrations, type CalibrationRow, type NewCalibration } from "../schema/calibrations.ts";
import { calibrationBatches, type CalibrationBatchRow, type SampledCapture } from "../schema/calibration-batches.ts";
import { replays } from "../schema/calibration-replays.ts";
import { judgments } from "../schema/calibration-judgments.ts";
import { captures, type CaptureRow } from "../schema/captures.ts";
import { prompts, type PromptRow } from "../schema/prompts.ts";

/** Prompts that have gathered `minCaptures` captures and were never calibrated: the automatic start's list. */
export async function listPromptsDueForCalibration(db: Db, minCaptures: number): Promise<PromptRow[]> {
  return db
    .select()
    .from(prompts)
    .where(
      and(
        sql`${prompts.captureCount} >= ${minCaptures}`,
        sql`not exists (select 1 from ${calibrations} where ${calibrations.promptId} = ${prompts.id})`,
      ),
    )
    .orderBy(asc(prompts.firstSeenAt));
}

/** Throws on a second running calibration of the same prompt (unique index calibrations_one_running_per_prompt). */
export async function insertCalibration(db: Db, row: NewCalibration): Promise<CalibrationRow> {
  const [created] = await db.insert(calibrations).values(row).returning();
  if (!created) throw new Error(`calibration ${row.id} was not inserted`);
  return created;
}

export async function getCalibration(db: Db, id: string): Promise<CalibrationRow | undefined> {
  const [row] = await db.select().from(calibrations).where(eq(calibrations.id, id));
  return row;
}

/** Calibrations a recovery pass must resume: everything still running. */
export async function listRunningCalibrations(db: Db): Promise<CalibrationRow[]> {
  return db.select().from(calibrations).where(eq(calibrations.status, "running")).orderBy(asc(calibrations.createdAt));
}

/**
 * Ends a running calibration. Only the first ending counts: a second evaluate (a duplicate delivery)
 * or a late stop finds it no longer running and changes nothing. Returns whether this call ended it.
 */
export async function finishCalibration(
  db: Db,
  id: string,
  end: { status: "completed" | "stopped"; report?: unknown; stopReason?: string | null },
): Promise<boolean> {
  const now = new Date();
  const done = await db
    .update(calibrations)
    .set({ status: end.status, report: end.report ?? null, stopReason: end.stopReason ?? null, finishedAt: now, updatedAt: now })
    .where(and(eq(calibrations.id, id), eq(calibrations.status, "running")))
    .returning({ id: calibrations.id });
  return done.length > 0;
}

/** Freezes the axes' setup once; a second call (a retried start) keeps the first. */
export async function setCalibrationSetup(db: Db, id: string, setup: unknown): Promise<unknown> {
  await db
    .update(calibrations)
    .set({ setup, updatedAt: new Date() })
    .where(and(eq(calibrations.id, id), sql`${calibrations.setup} is null`));
  return (await getCalibration(db, id))?.setup;
}

/** A sampled capture by its full key, which prunes the partitions to one. */
export async function getSampledCapture(db: Db, sampled: SampledCapture): Promise<CaptureRow | undefined> {
  const [row] = await db
    .select()
    .from(captures)
    .where(and(eq(captures.id, sampled.captureId), eq(captures.createdAt, new Date(sampled.createdAt))));
  return row;
}

/** Recomputes the spend from what was actually paid (replays and judge calls), so it is never counted twice. */
export async function refreshCalibrationSpend(db: Db, id: string): Promise<number> {
  const [r] = await db.select({ usd: sql<number>`coalesce(sum(${replays.costUsd}), 0)` }).from(replays).where(eq(replays.calibrationId, id));
  const [j] = await db.select({ usd: sql<number>`coalesce(sum(${judgments.costUsd}), 0)` }).from(judgments).where(eq(judgments.calibrationId, id));
  const spend = Number(r?.usd ?? 0) + Number(j?.usd ?? 0);
  await db.update(calibrations).set({ spendUsd: spend, updatedAt: new Date() }).where(eq(calibrations.id, id));
  return spend;
}

export interface SampleCapturesParams {
  calibrationId: string;
  promptId: string;
  baselineModel: string;
  seed: number;
  count: number;
}

/**
 * Draws up to `count` captures of the prompt that the baseline served successfully and that this
 * calibration has not used yet. The order is a hash of the capture id and the calibration's seed: a
 * uniform draw over the prompt's whole history (so spread over time rather than the latest burst), and
 * the same draw again if a crashed run samples anew.
 */
export async function sampleCaptures(db: Db, p: SampleCapturesParams): Promise<SampledCapture[]> {
  const rows = rowsOf<{ id: string; created_at: string | Date }>(
    await db.execute(sql`
      select c.id, c.created_at
      from captures c
      where c.prompt_id = ${p.promptId}
        and c.served_model = ${p.baselineModel}
        and c.route <> 'candidate'
        and c.status between 200 and 299
        and c.error is null
        and c.request is not null
        and (c.output_text is not null or c.tool_calls is not null)
        and not exists (
          select 1 from calibration_batches b
          where b.calibration_id = ${p.calibrationId}
            and b.captures @> jsonb_build_array(jsonb_build_object('captureId', c.id::text))
        )
      order by md5(c.id::text || ':' || ${String(p.seed)}::text)
      limit ${p.count}
    `),
  );
  return rows.map((r) => ({ captureId: r.id, createdAt: new Date(r.created_at).toISOString() }));
}

/**
 * Stores a batch's sample once. A second call for the same batch (a retried evaluate) keeps the first
 * sample and returns it, so the captures of a batch never change once chosen.
 */
export async function insertCalibrationBatch(
  db: Db,
  row: { calibrationId: string; batch: number; firstSample: number; captures: SampledCapture[]; models: string[] },
): Promise<CalibrationBatchRow> {
  await db.insert(calibrationBatches).values(row).onConflictDoNothing();
  const stored = await getCalibrationBatch(db, row.calibrationId, row.batch);
  if (!stored) throw new Error(`batch ${row.batch} of calibration ${row.calibrationId} is missing`);
  return stored;
}

export async function getCalibrationBatch(db: Db, calibrationId: string, batch: number): Promise<CalibrationBatchRow | undefined> {
  const [row] = await db
    .select()
    .from(calibrationBatches)
    .where(and(eq(calibrationBatches.calibrationId, calibrationId), eq(calibrationBatches.batch, batch)));
  return row;
}

export async function listCalibrationBatches(db: Db, calibrationId: string): Promise<CalibrationBatchRow[]> {
  return db.select().from(calibrationBatches).where(eq(calibrationBatches.calibrationId, calibrationId)).orderBy(asc(calibrationBatches.batch));
}

/** Records a batch's statistics once; returns false when it was already evaluated (a duplicate delivery). */
export async function markBatchEvaluated(db: Db, calibrationId: string, batch: number, stats: unknown): Promise<boolean> {
  const done = await db
    .update(calibrationBatches)
    .set({ status: "evaluated", stats, evaluatedAt: new Date() })
    .where(
      and(eq(calibrationBatches.calibrationId, calibrationId), eq(calibrationBatches.batch, batch), eq(calibrationBatches.status, "running")),
    )
    .returning({ batch: calibrationBatches.batch });
  return done.length > 0;
}
