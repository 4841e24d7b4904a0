import { boolean, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The routing table: one row per prompt that was ever approved or given a policy. A prompt without a row,
 * or in state baseline, is served by the model its caller asked for. `version` grows on every change, so
 * a revert can name the approval it undoes and a late drift alarm cannot revert a newer approval.
 */
export const routes = pgTable("routes", {
  promptId: text("prompt_id").primaryKey(),
  state: text("state", { enum: ["baseline", "candidate"] }).notNull().default("baseline"),
  baselineModel: text("baseline_model").notNull(),
  /** The approved candidate while state is candidate; the last one afterwards, for the record. */
  candidateModel: text("candidate_model"),
  /** The calibration whose passing report justified the approval. */
  calibrationId: text("calibration_id"),
  /** Template fingerprint the report was made on: a changed template needs a new report. */
  fingerprint: text("fingerprint"),
  /** The format contract served replies are checked against (from the report). */
  contract: jsonb("contract"),
  /** The calibration setup (contract and label spec), so shadow samples are scored by the same rules. */
  setup: jsonb("setup"),
  /** Calibrated means per axis (band and candidate agreement) the drift test compares against. */
  calibrated: jsonb("calibrated"),
  /** Opt-in: approve by itself when a calibration passes (off by default). */
  autoApprove: boolean("auto_approve").notNull().default(false),
  approvedBy: text("approved_by"),
  approvedAt: timestamp("approved_at", { withTimezone: true }),
  revertedAt: timestamp("reverted_at", { withTimezone: true }),
  revertReason: text("revert_reason"),
  version: integer("version").notNull().default(1),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type RouteRow = typeof routes.$inferSelect;
