import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { AxisScores } from "../documents/axis-scores.ts";

export type { AxisScores };

/**
 * The comparison of a captured output with one replay of it (the baseline's gives the band, a
 * candidate's the agreement). Keyed by the judge job's deterministic id and written once.
 */
export const judgments = pgTable(
  "judgments",
  {
    id: text("id").primaryKey(),
    calibrationId: text("calibration_id").notNull(),
    captureId: text("capture_id").notNull(),
    sample: integer("sample").notNull(),
    batch: integer("batch").notNull(),
    /** The model whose replay was judged. */
    model: text("model").notNull(),
    judgeModel: text("judge_model").notNull(),
    scores: jsonb("scores").$type<AxisScores>().notNull(),
    /** Judge verdicts in both orders and the reasons given, for the report's evidence. */
    details: jsonb("details"),
    judgeCalls: integer("judge_calls").notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("judgments_calibration_sample_model_idx").on(t.calibrationId, t.sample, t.model),
    index("judgments_calibration_batch_idx").on(t.calibrationId, t.batch),
  ],
);

export type JudgmentRow = typeof judgments.$inferSelect;
export type NewJudgment = typeof judgments.$inferInsert;
