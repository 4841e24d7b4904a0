import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import type { AdminDeps } from "./deps.ts";
import { promptRoutes } from "./prompts/index.ts";

export type { AdminDeps } from "./deps.ts";

/**
 * The admin API, one folder per resource. Mounted under /api behind the admin token by createApp;
 * errors are HttpErrors, rendered by the app's one onError.
 */
export function adminRoutes(deps: AdminDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route("/prompts", promptRoutes(deps));
  return app;
}
