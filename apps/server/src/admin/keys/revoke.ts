import { revokeClientKey } from "@proofgate/db";
import type { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { HttpError } from "../../http/errors.ts";
import type { AdminDeps } from "../deps.ts";
import { presentKey, useOf } from "./present.ts";

/** DELETE /api/keys/:id: revokes the key; running proxies refuse it once their cached verification expires (30 s). */
export function revokeKeyRoute(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.delete("/:id", async (c) => {
    const id = c.req.param("id");
    const row = await revokeClientKey(deps.db, id);
    if (!row) throw new HttpError("not_found", `No active key with id '${id}'.`, { code: "key_not_found" });
    return c.json({ key: presentKey(row, await useOf(deps.limiter, row)) });
  });
}
