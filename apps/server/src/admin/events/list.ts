import { listRouteEvents } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import type { RoutingAdminDeps } from "../routes/deps.ts";
import { query } from "../validate.ts";

const eventsQuery = z.object({
  prompt: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.iso.datetime({ offset: true }).optional(),
});

/** GET /api/events: the routing audit log, newest first (who, when, which report, why). */
export function listEventsRoute(app: Hono<AppEnv>, deps: RoutingAdminDeps): void {
  app.get("/events", async (c) => {
    const q = query(c, eventsQuery);
    const rows = await listRouteEvents(deps.db, { promptId: q.prompt, limit: q.limit, before: q.before ? new Date(q.before) : undefined });
    return c.json({
      events: rows.map((e) => ({
        id: e.id,
        promptId: e.promptId,
        kind: e.kind,
        actor: e.actor,
        model: e.model,
        calibrationId: e.calibrationId,
        reason: e.reason,
        details: e.details,
        at: e.createdAt.toISOString(),
      })),
    });
  });
}
