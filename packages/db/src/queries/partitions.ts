import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../client.ts";

/** Creates monthly capture partitions from this month to monthsAhead ahead; returns how many were new. */
export async function ensureCapturePartitions(db: Db, monthsAhead = 3): Promise<number> {
  const result = await db.execute(sql`select proofgate_ensure_capture_partitions(${monthsAhead}::int) as created`);
  return Number(rowsOf<{ created: number }>(result)[0]?.created ?? 0);
}

/** The partitions of the captures table, oldest first (the default partition last). */
export async function listCapturePartitions(db: Db): Promise<string[]> {
  const result = await db.execute(sql`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'captures' order by c.relname = 'captures_default', c.relname`);
  return rowsOf<{ name: string }>(result).map((r) => r.name);
}
