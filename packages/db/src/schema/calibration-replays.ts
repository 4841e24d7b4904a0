import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * One replay of a captured request to one model. The id is the replay job's deterministic id, and the
 * row is written once (on conflict do nothing): a retried or re-enqueued job finds it and pays nothing.
 */
export const replays = pgTable(
  "replays",
  {
    id: text("id").primaryKey(),
    calibrationId: text("calibration_id").notNull(),
    captureId: text("capture_id").notNull(),
    sample: integer("sample").notNull(),
    batch: integer("batch").notNull(),
    model: text("model").notNull(),
    role: text("role", { enum: ["baseline", "candidate"] }).notNull(),
    provider: text("provider").notNull(),
    status: integer("status").notNull(),
    outputText: text("output_text"),
    response: jsonb("response"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    latencyMs: doublePrecision("latency_ms").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("replays_calibration_sample_model_idx").on(t.calibrationId, t.sample, t.model),
    index("replays_calibration_batch_idx").on(t.calibrationId, t.batch),
  ],
);

export type ReplayRow = typeof replays.$inferSelect;
export type NewReplay = typeof replays.$inferInsert;
