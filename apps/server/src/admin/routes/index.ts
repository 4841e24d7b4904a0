import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { approveRouteRoute } from "./approve.ts";
import type { RoutingAdminDeps } from "./deps.ts";
import { listRoutesRoute } from "./list.ts";
import { routePolicyRoute } from "./policy.ts";
import { revertRouteRoute } from "./revert.ts";
import { listEventsRoute } from "../events/list.ts";

export type { RoutingAdminDeps } from "./deps.ts";

/** The routing resources, mounted at the admin API's root (they span /prompts/:id/route, /routes, /events). */
export function routingRoutes(deps: RoutingAdminDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  approveRouteRoute(app, deps);
  revertRouteRoute(app, deps);
  routePolicyRoute(app, deps);
  listRoutesRoute(app, deps);
  listEventsRoute(app, deps);
  return app;
}
