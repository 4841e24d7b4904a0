import { randomUUID } from "node:crypto";
import { desc } from "drizzle-orm";
import type { Db } from "../client.ts";
import { captureQuarantine, type CaptureQuarantineRow } from "../schema/capture-quarantine.ts";

/** Keeps a refused capture line with its reason; a capture already quarantined is kept once. */
export async function insertQuarantinedCapture(db: Db, params: { captureId: string | null; reason: string; line: string }): Promise<void> {
  await db
    .insert(captureQuarantine)
    .values({ id: randomUUID(), ...params })
    .onConflictDoNothing();
}

/** The newest quarantined captures, for operators and tests. */
export async function listQuarantinedCaptures(db: Db, limit = 100): Promise<CaptureQuarantineRow[]> {
  return db.select().from(captureQuarantine).orderBy(desc(captureQuarantine.createdAt)).limit(limit);
}
