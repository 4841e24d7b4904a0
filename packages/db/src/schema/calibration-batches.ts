import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** A sampled capture: captures are keyed by (id, created_at), so both are kept to fetch it by key. */
export interface SampledCapture {
  captureId: string;
  createdAt: string;
}

/**
 * One batch of a calibration: which captures it sampled (in sample order) and, once evaluated, the
 * statistics after it. The row is written before any replay is enqueued, so the sample survives a crash
 * and a resumed run replays the very same captures.
 */
export const calibrationBatches = pgTable(
  "calibration_batches",
  {
    calibrationId: text("calibration_id").notNull(),
    batch: integer("batch").notNull(),
    /** Sample index of the first capture; the i-th capture of the batch is sample firstSample + i. */
    firstSample: integer("first_sample").notNull(),
    captures: jsonb("captures").$type<SampledCapture[]>().notNull(),
    /** Models replayed in this batch: the baseline and the candidates still undecided when it opened. */
    models: jsonb("models").$type<string[]>().notNull().default([]),
    status: text("status", { enum: ["running", "evaluated"] }).notNull().default("running"),
    stats: jsonb("stats"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    evaluatedAt: timestamp("evaluated_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.calibrationId, t.batch] }), index("calibration_batches_status_idx").on(t.status)],
);

export type CalibrationBatchRow = typeof calibrationBatches.$inferSelect;
