import { getRoute } from "@proofgate/db";
import type { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { revert } from "../../routing/approve.ts";
import type { RoutingAdminDeps } from "./deps.ts";
import { presentRoute } from "./present.ts";

/** DELETE /api/prompts/:id/route: back to the baseline at once. Reverting a prompt not switched changes nothing. */
export function revertRouteRoute(app: Hono<AppEnv>, deps: RoutingAdminDeps): void {
  app.delete("/prompts/:id/route", async (c) => {
    const promptId = c.req.param("id");
    const reason = c.req.query("reason");
    const row = await revert(deps, { promptId, actor: "admin-api", ...(reason ? { reason } : {}) });
    if (row) return c.json({ reverted: true, route: presentRoute(row) });
    const current = await getRoute(deps.db, promptId);
    return c.json({ reverted: false, route: current ? presentRoute(current) : null, message: `Prompt '${promptId}' is already served by its baseline.` });
  });
}
