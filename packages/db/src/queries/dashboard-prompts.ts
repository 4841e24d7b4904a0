import { DAYS_PER_MONTH, MIN_SPAN_DAYS, MS_PER_DAY } from "@proofgate/parity";
import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client.ts";
import { prompts, type PromptRow } from "../schema/prompts.ts";

export type PromptSort = "traffic" | "cost" | "name" | "seen";

export interface PromptSearch {
  /** Words matched, case-insensitively, against the name, id, model and template. */
  q?: string;
  sort?: PromptSort;
  dir?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

export interface PromptWithRates extends PromptRow {
  /** Requests per day over the observed span. */
  perDay: number;
  /** Baseline spend per DAYS_PER_MONTH (30) days at the observed rate. */
  monthlyCostUsd: number;
}

/**
 * SQL twin of parity's observedRates, built from its constants: the observed span in days, never less
 * than MIN_SPAN_DAYS (a prompt seen for five minutes is extrapolated as a day's traffic, not multiplied
 * up by 288), requests per day over it, and spend per DAYS_PER_MONTH days. In SQL so the page can sort
 * and page by them. The constants are written as numeric literals (`86400.0`), as the query always had them.
 */
const spanDays = sql`greatest(extract(epoch from (${prompts.lastSeenAt} - ${prompts.firstSeenAt})) / ${sql.raw(`${MS_PER_DAY / 1000}.0`)}, ${sql.raw(`${MIN_SPAN_DAYS}.0`)})`;
const perDay = sql<number>`(${prompts.captureCount} / ${spanDays})::float8`;
const monthlyCost = sql<number>`(${prompts.costUsd} / ${spanDays} * ${sql.raw(`${DAYS_PER_MONTH}.0`)})::float8`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

function matches(q: string | undefined): SQL | undefined {
  const words = (q ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 8);
  if (words.length === 0) return undefined;
  const haystack = sql`(coalesce(${prompts.name}, '') || ' ' || ${prompts.id} || ' ' || ${prompts.model} || ' ' || ${prompts.template})`;
  // Every word must appear somewhere: narrowing, like a search box is expected to behave.
  return sql.join(
    words.map((w) => sql`${haystack} ilike ${`%${escapeLike(w)}%`} escape '\\'`),
    sql` and `,
  );
}

function order(sort: PromptSort, dir: "asc" | "desc"): SQL[] {
  const by = dir === "asc" ? asc : desc;
  switch (sort) {
    case "traffic":
      return [by(perDay), asc(prompts.id)];
    case "cost":
      return [by(monthlyCost), asc(prompts.id)];
    case "name":
      return [by(sql`lower(coalesce(${prompts.name}, ${prompts.id}))`), asc(prompts.id)];
    case "seen":
      return [by(prompts.lastSeenAt), asc(prompts.id)];
  }
}

/** The prompts page: search, sort and page through prompts, with their traffic and cost rates. */
export async function searchPrompts(db: Db, params: PromptSearch = {}): Promise<{ rows: PromptWithRates[]; total: number }> {
  const where = matches(params.q);
  const [rows, totals] = await Promise.all([
    db
      .select({ prompt: prompts, perDay, monthlyCostUsd: monthlyCost })
      .from(prompts)
      .where(where)
      .orderBy(...order(params.sort ?? "cost", params.dir ?? "desc"))
      .limit(params.limit ?? 50)
      .offset(params.offset ?? 0),
    db.select({ n: sql<number>`count(*)::int` }).from(prompts).where(where),
  ]);
  return {
    rows: rows.map((r) => ({ ...r.prompt, perDay: Number(r.perDay), monthlyCostUsd: Number(r.monthlyCostUsd) })),
    total: Number(totals[0]?.n ?? 0),
  };
}
