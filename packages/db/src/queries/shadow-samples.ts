import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { shadowSamples, type ShadowSampleRow } from "../schema/shadow-samples.ts";

export type NewShadowSample = typeof shadowSamples.$inferInsert;

/** Stores a sample once under its job id; returns whether this call stored it. */
export async function insertShadowSample(db: Db, row: NewShadowSample): Promise<boolean> {
  const done = await db.insert(shadowSamples).values(row).onConflictDoNothing().returning({ id: shadowSamples.id });
  return done.length > 0;
}

/** The samples of one approval in the order they were stored: the drift test's sequence. */
export async function listShadowSamples(db: Db, promptId: string, routeVersion: number): Promise<ShadowSampleRow[]> {
  return db
    .select()
    .from(shadowSamples)
    .where(and(eq(shadowSamples.promptId, promptId), eq(shadowSamples.routeVersion, routeVersion)))
    .orderBy(asc(shadowSamples.createdAt), asc(shadowSamples.id));
}

/** What the drift watch of one approval has spent on baseline replays and judge calls. */
export async function shadowSpend(db: Db, promptId: string, routeVersion: number): Promise<{ samples: number; costUsd: number }> {
  const [row] = await db
    .select({ samples: sql<number>`count(*)`, costUsd: sql<number>`coalesce(sum(${shadowSamples.costUsd}), 0)` })
    .from(shadowSamples)
    .where(and(eq(shadowSamples.promptId, promptId), eq(shadowSamples.routeVersion, routeVersion)));
  return { samples: Number(row?.samples ?? 0), costUsd: Number(row?.costUsd ?? 0) };
}
