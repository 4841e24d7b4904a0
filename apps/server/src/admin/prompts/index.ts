import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import type { AdminDeps } from "../deps.ts";
import { getPromptRoute } from "./get.ts";
import { listPromptsRoute } from "./list.ts";
import { renamePromptRoute } from "./rename.ts";

export function promptRoutes(deps: AdminDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  listPromptsRoute(app, deps);
  getPromptRoute(app, deps);
  renamePromptRoute(app, deps);
  return app;
}
