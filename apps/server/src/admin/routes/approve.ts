import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import { approve } from "../../routing/approve.ts";
import type { RoutingAdminDeps } from "./deps.ts";
import { jsonBody } from "../validate.ts";
import { presentRoute } from "./present.ts";
import { asHttp } from "./refusal.ts";

const approveBody = z.object({
  model: z.string().trim().min(1, "must name the candidate model"),
  reason: z.string().trim().max(500).optional(),
});

/** POST /api/prompts/:id/route {model}: switch to a candidate; 409 with the reason without a current passing report. */
export function approveRouteRoute(app: Hono<AppEnv>, deps: RoutingAdminDeps): void {
  app.post("/prompts/:id/route", async (c) => {
    const { model, reason } = await jsonBody(c, approveBody);
    const row = await asHttp(approve(deps, { promptId: c.req.param("id"), model, actor: "admin-api", ...(reason ? { reason } : {}) }));
    return c.json({ route: presentRoute(row) }, 200);
  });
}
