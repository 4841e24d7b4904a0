import { countPrompts, listPrompts } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import type { AdminDeps } from "../deps.ts";
import { query } from "../validate.ts";
import { presentPrompt } from "./present.ts";

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** GET /api/prompts: every prompt with its traffic, cost and first/last seen, most recently active first. */
export function listPromptsRoute(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.get("/", async (c) => {
    const { limit, offset } = query(c, listQuery);
    const [rows, total] = await Promise.all([listPrompts(deps.db, { limit, offset }), countPrompts(deps.db)]);
    return c.json({ prompts: rows.map((p) => presentPrompt(p)), total, limit, offset });
  });
}
