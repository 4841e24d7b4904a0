import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * One recorded exchange. Range-partitioned by month on created_at (migrations/0001: declarative
 * partitions created ahead, a default partition as a safety net), so the key includes created_at.
 * No foreign key to prompts: the writer upserts the prompt in the same transaction, and a per-row
 * foreign-key check would tax the hottest insert path for nothing.
 */
export const captures = pgTable(
  "captures",
  {
    id: uuid("id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    promptId: text("prompt_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    endpoint: text("endpoint").notNull(),
    provider: text("provider").notNull(),
    stream: boolean("stream").notNull(),
    requestedModel: text("requested_model").notNull(),
    servedModel: text("served_model").notNull(),
    route: text("route").notNull(),
    status: integer("status").notNull(),
    request: jsonb("request"),
    response: jsonb("response"),
    outputText: text("output_text"),
    toolCalls: jsonb("tool_calls"),
    error: text("error"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    costUsd: doublePrecision("cost_usd"),
    latencyMs: doublePrecision("latency_ms").notNull(),
    ttfbMs: doublePrecision("ttfb_ms"),
    clientKeyId: text("client_key_id"),
    upstreamRequestId: text("upstream_request_id"),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.createdAt] }),
    // Per-prompt sampling and "recent captures of a prompt": one index range scan per partition.
    index("captures_prompt_created_idx").on(t.promptId, t.createdAt),
  ],
);

export type CaptureRow = typeof captures.$inferSelect;
