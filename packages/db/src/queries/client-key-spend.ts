import { and, gte, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../client.ts";
import { captures } from "../schema/captures.ts";

export interface ClientKeySpend {
  clientKeyId: string;
  /** USD since `dayStart`. */
  dayUsd: number;
  /** USD since `monthStart`. */
  monthUsd: number;
}

/**
 * What each client key's traffic cost since the start of the day and of the month, from the captures'
 * own prices (candidate-served traffic at the candidate's). One query over the month's partition; the
 * proxy seeds its spend counters with it at start.
 */
export async function clientKeySpend(db: Db, params: { dayStart: Date; monthStart: Date }): Promise<ClientKeySpend[]> {
  const rows = await db
    .select({
      clientKeyId: captures.clientKeyId,
      dayUsd: sql<number>`coalesce(sum(${captures.costUsd}) filter (where ${captures.createdAt} >= ${params.dayStart.toISOString()}::timestamptz), 0)::float8`,
      monthUsd: sql<number>`coalesce(sum(${captures.costUsd}), 0)::float8`,
    })
    .from(captures)
    .where(and(gte(captures.createdAt, params.monthStart), isNotNull(captures.clientKeyId)))
    .groupBy(captures.clientKeyId);
  return rows.flatMap((r) =>
    r.clientKeyId === null ? [] : [{ clientKeyId: r.clientKeyId, dayUsd: Number(r.dayUsd), monthUsd: Number(r.monthUsd) }],
  );
}
