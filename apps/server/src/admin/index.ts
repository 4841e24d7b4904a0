import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { calibrationRoutes } from "./calibrations/index.ts";
import type { AdminDeps } from "./deps.ts";
import { keyRoutes } from "./keys/index.ts";
import { promptRoutes } from "./prompts/index.ts";
import { routingRoutes } from "./routes/index.ts";

export type { AdminDeps } from "./deps.ts";

/**
 * The admin API, one folder per resource. Mounted under /api behind the admin token by createApp;
 * errors are HttpErrors, rendered by the app's one onError.
 */
export function adminRoutes(deps: AdminDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/", calibrationRoutes(deps));
  app.route("/prompts", promptRoutes(deps));
  app.route("/keys", keyRoutes(deps));
  if (deps.routing) app.route("/", routingRoutes({ db: deps.db, ...deps.routing }));
  return app;
}
