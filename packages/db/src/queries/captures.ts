import { desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { captures, type CaptureRow } from "../schema/captures.ts";

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
