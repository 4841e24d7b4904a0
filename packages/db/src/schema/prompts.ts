import { bigint, doublePrecision, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One production prompt type. The counters are maintained by the capture writer (one upsert per batch,
 * from the rows it actually inserted), so listing prompts never scans captures.
 */
export const prompts = pgTable(
  "prompts",
  {
    /** Stable id from the header name or the template fingerprint (see apps/server/src/prompts). */
    id: text("id").primaryKey(),
    /** Display name: the header name at first sight, or set by a rename. Never changes the id. */
    name: text("name"),
    /** "header" when named by x-proofgate-prompt, "fingerprint" when found by template. */
    source: text("source", { enum: ["header", "fingerprint"] }).notNull(),
    fingerprint: text("fingerprint").notNull(),
    template: text("template").notNull(),
    endpoint: text("endpoint").notNull(),
    /** The baseline model most recently requested for this prompt. */
    model: text("model").notNull(),
    captureCount: bigint("capture_count", { mode: "number" }).notNull().default(0),
    errorCount: bigint("error_count", { mode: "number" }).notNull().default(0),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    /** Estimated spend; double precision is enough for an estimate built from per-token prices. */
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    renamedAt: timestamp("renamed_at", { withTimezone: true }),
  },
  (t) => [index("prompts_last_seen_idx").on(t.lastSeenAt)],
);

export type PromptRow = typeof prompts.$inferSelect;
