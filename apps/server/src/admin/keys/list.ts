import { listClientKeys } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import type { AdminDeps } from "../deps.ts";
import { query } from "../validate.ts";
import { presentKey, useOf } from "./present.ts";

const listQuery = z.object({ revoked: z.enum(["true", "false"]).default("true") });

/** GET /api/keys: every key (revoked ones too unless ?revoked=false) with its limits and current use. */
export function listKeysRoute(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.get("/", async (c) => {
    const { revoked } = query(c, listQuery);
    const rows = await listClientKeys(deps.db, { active: revoked === "false" });
    const keys = await Promise.all(rows.map(async (r) => presentKey(r, await useOf(deps.limiter, r))));
    return c.json({ keys });
  });
}
