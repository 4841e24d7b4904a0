import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** The audit log of the routing table: every approval, revert and policy change, never updated. */
export const routeEvents = pgTable(
  "route_events",
  {
    id: uuid("id").primaryKey(),
    promptId: text("prompt_id").notNull(),
    kind: text("kind", { enum: ["approve", "revert", "policy"] }).notNull(),
    /** Who: "admin-api", "cli", "drift-watch", "fallback-watch", "auto-approve". */
    actor: text("actor").notNull(),
    model: text("model"),
    calibrationId: text("calibration_id"),
    reason: text("reason").notNull(),
    details: jsonb("details"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("route_events_created_idx").on(t.createdAt), index("route_events_prompt_idx").on(t.promptId, t.createdAt)],
);

export type RouteEventRow = typeof routeEvents.$inferSelect;
