import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * Captures the database refused, or that proofgate would not send it (JSON nested past the limit), kept
 * with the reason instead of being retried forever or lost. The capture line is kept as plain text, so
 * storing it never parses what could not be stored as jsonb. Never read on the request path.
 */
export const captureQuarantine = pgTable(
  "capture_quarantine",
  {
    id: uuid("id").primaryKey(),
    /** The capture's id as its line gives it (it may be the very thing refused); null when unreadable. */
    captureId: text("capture_id"),
    reason: text("reason").notNull(),
    /** The capture line (encodeCapture) as it was when it was refused. */
    line: text("line").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A line quarantined again (its spool file read a second time after a crash) is kept once.
    uniqueIndex("capture_quarantine_capture_idx").on(t.captureId),
    index("capture_quarantine_created_idx").on(t.createdAt),
  ],
);

export type CaptureQuarantineRow = typeof captureQuarantine.$inferSelect;
