import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { AxisScores } from "../documents/axis-scores.ts";

/**
 * One drift-watch sample: a candidate-served request replayed on the baseline and scored. Keyed by the
 * shadow job id, so a retried job stores it once; `routeVersion` ties it to the approval it watches.
 */
export const shadowSamples = pgTable(
  "shadow_samples",
  {
    id: text("id").primaryKey(),
    promptId: text("prompt_id").notNull(),
    routeVersion: integer("route_version").notNull(),
    captureId: text("capture_id").notNull(),
    candidateModel: text("candidate_model").notNull(),
    baselineModel: text("baseline_model").notNull(),
    /** Agreement of the served candidate output with the fresh baseline output, per axis. */
    scores: jsonb("scores").$type<AxisScores>().notNull(),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("shadow_samples_prompt_idx").on(t.promptId, t.routeVersion, t.createdAt)],
);

export type ShadowSampleRow = typeof shadowSamples.$inferSelect;
