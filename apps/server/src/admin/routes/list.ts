import { listRoutes } from "@proofgate/db";
import type { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { realisedSavings } from "../../routing/savings.ts";
import type { RoutingAdminDeps } from "./deps.ts";
import { presentRoute } from "./present.ts";

/** GET /api/routes: every routed prompt, its state and realised savings since the switch, with totals. */
export function listRoutesRoute(app: Hono<AppEnv>, deps: RoutingAdminDeps): void {
  app.get("/routes", async (c) => {
    const rows = await listRoutes(deps.db);
    const routes = await Promise.all(rows.map(async (r) => presentRoute(r, await realisedSavings(deps.db, deps.config, deps.prices, r))));
    let saved = 0;
    let candidateCost = 0;
    let unpriced = 0;
    for (const r of routes) {
      if (!r.savings) continue;
      candidateCost += r.savings.candidateCostUsd;
      if (r.savings.savedUsd === null) unpriced += 1;
      else saved += r.savings.savedUsd;
    }
    return c.json({ routes, totals: { savedUsd: saved, candidateCostUsd: candidateCost, switched: routes.filter((r) => r.state === "candidate").length, unpriced } });
  });
}
