import { sql } from "drizzle-orm";
import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Per-axis margins (delta) of a calibration: the most a candidate may lose against the baseline's band. */
export interface CalibrationMargins {
  format: number;
  categorical: number;
  semantic: number;
}

/**
 * One calibration: the sequential experiment for a prompt and its candidates. Its settings are frozen at
 * creation, so a resumed run (a restarted worker, a lost queue) decides exactly as the first would have.
 */
export const calibrations = pgTable(
  "calibrations",
  {
    id: text("id").primaryKey(),
    promptId: text("prompt_id").notNull(),
    baselineModel: text("baseline_model").notNull(),
    candidates: jsonb("candidates").$type<string[]>().notNull(),
    /** running until every candidate has a verdict or a budget ends it; stopped when a failure ended it early. */
    status: text("status", { enum: ["running", "completed", "stopped"] }).notNull().default("running"),
    stopReason: text("stop_reason"),
    maxPairs: integer("max_pairs").notNull(),
    maxCostUsd: doublePrecision("max_cost_usd").notNull(),
    batchSize: integer("batch_size").notNull(),
    alpha: doublePrecision("alpha").notNull(),
    margins: jsonb("margins").$type<CalibrationMargins>().notNull(),
    /** Seeds the capture sample order and the replay header, so a re-run draws the same pairs. */
    seed: integer("seed").notNull(),
    /**
     * The axes' setup frozen when the first batch was sampled (format contract, label spec inferred from
     * the captured baseline outputs), so every pair of the calibration is scored by the same rules.
     */
    setup: jsonb("setup"),
    /** Replays plus judge calls so far, refreshed from those tables after each batch. */
    spendUsd: doublePrecision("spend_usd").notNull().default(0),
    /** The parity report once finished: a verdict and its evidence per candidate. */
    report: jsonb("report"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    index("calibrations_prompt_created_idx").on(t.promptId, t.createdAt),
    index("calibrations_status_idx").on(t.status),
    // One running calibration per prompt: a second one would pay for the same evidence twice, and the
    // automatic start on several workers relies on it to start exactly one.
    uniqueIndex("calibrations_one_running_per_prompt").on(t.promptId).where(sql`${t.status} = 'running'`),
  ],
);

export type CalibrationRow = typeof calibrations.$inferSelect;
export type NewCalibration = typeof calibrations.$inferInsert;
