import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import type { AdminDeps } from "../deps.ts";
import { createKeyRoute } from "./create.ts";
import { listKeysRoute } from "./list.ts";
import { revokeKeyRoute } from "./revoke.ts";
import { updateKeyRoute } from "./update.ts";

export function keyRoutes(deps: AdminDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  listKeysRoute(app, deps);
  createKeyRoute(app, deps);
  updateKeyRoute(app, deps);
  revokeKeyRoute(app, deps);
  return app;
}
