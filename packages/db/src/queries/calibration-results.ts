import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Db } from "../client.ts";
import { replays, type NewReplay, type ReplayRow } from "../schema/calibration-replays.ts";
import { judgments, type JudgmentRow, type NewJudgment } from "../schema/calibration-judgments.ts";

// Replays and judgments are written once, keyed by their job's deterministic id: the first writer wins and
// a duplicate delivery finds the row already there. That is what keeps a retried job from paying twice.

/** Inserts the replay unless one with its id exists; returns whether this call stored it. */
export async function insertReplay(db: Db, row: NewReplay): Promise<boolean> {
  const done = await db.insert(replays).values(row).onConflictDoNothing().returning({ id: replays.id });
  return done.length > 0;
}

export async function getReplay(db: Db, id: string): Promise<ReplayRow | undefined> {
  const [row] = await db.select().from(replays).where(eq(replays.id, id));
  return row;
}

export async function getReplays(db: Db, ids: readonly string[]): Promise<ReplayRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(replays).where(inArray(replays.id, [...ids]));
}

export async function listBatchReplays(db: Db, calibrationId: string, batch: number): Promise<ReplayRow[]> {
  return db
    .select()
    .from(replays)
    .where(and(eq(replays.calibrationId, calibrationId), eq(replays.batch, batch)))
    .orderBy(asc(replays.sample), asc(replays.model));
}

export async function insertJudgment(db: Db, row: NewJudgment): Promise<boolean> {
  const done = await db.insert(judgments).values(row).onConflictDoNothing().returning({ id: judgments.id });
  return done.length > 0;
}

export async function getJudgment(db: Db, id: string): Promise<JudgmentRow | undefined> {
  const [row] = await db.select().from(judgments).where(eq(judgments.id, id));
  return row;
}

export async function listBatchJudgments(db: Db, calibrationId: string, batch: number): Promise<JudgmentRow[]> {
  return db
    .select()
    .from(judgments)
    .where(and(eq(judgments.calibrationId, calibrationId), eq(judgments.batch, batch)))
    .orderBy(asc(judgments.sample), asc(judgments.model));
}

/** Every judgment of a calibration in sample order: the paired differences the decision is made on. */
export async function listCalibrationJudgments(db: Db, calibrationId: string): Promise<JudgmentRow[]> {
  return db.select().from(judgments).where(eq(judgments.calibrationId, calibrationId)).orderBy(asc(judgments.sample), asc(judgments.model));
}

/** Judgments stored for a batch: the judge step's fan-in compares it with what the batch needs. */
export async function countBatchJudgments(db: Db, calibrationId: string, batch: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(judgments)
    .where(and(eq(judgments.calibrationId, calibrationId), eq(judgments.batch, batch)));
  return Number(row?.n ?? 0);
}
