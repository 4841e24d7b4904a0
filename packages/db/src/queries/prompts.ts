import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { prompts, type PromptRow } from "../schema/prompts.ts";

/** Prompts by most recent traffic; the counters are maintained per capture batch, so this reads no captures. */
export async function listPrompts(db: Db, params: { limit?: number; offset?: number } = {}): Promise<PromptRow[]> {
  return db
    .select()
    .from(prompts)
    .orderBy(desc(prompts.lastSeenAt), prompts.id)
    .limit(params.limit ?? 100)
    .offset(params.offset ?? 0);
}

export async function countPrompts(db: Db): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(prompts);
  return Number(rows[0]?.n ?? 0);
}

export async function getPrompt(db: Db, id: string): Promise<PromptRow | null> {
  const rows = await db.select().from(prompts).where(eq(prompts.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Sets the display name; the id stays, so routes, calibrations and captures keep pointing at it. */
export async function renamePrompt(db: Db, params: { id: string; name: string }): Promise<PromptRow | null> {
  const rows = await db
    .update(prompts)
    .set({ name: params.name, renamedAt: new Date() })
    .where(eq(prompts.id, params.id))
    .returning();
  return rows[0] ?? null;
}
