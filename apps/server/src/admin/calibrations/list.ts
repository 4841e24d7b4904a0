import { getPrompt, listPromptCalibrations, type Db } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import { HttpError } from "../../http/errors.ts";
import { query } from "../validate.ts";
import { presentCalibration } from "./present.ts";

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/** GET /api/prompts/:id/calibrations: the prompt's calibrations, newest first. */
export function listCalibrationsRoute(app: Hono<AppEnv>, deps: { db: Db }): void {
  app.get("/prompts/:id/calibrations", async (c) => {
    const promptId = c.req.param("id");
    const { limit } = query(c, listQuery);
    if (!(await getPrompt(deps.db, promptId))) throw new HttpError("not_found", `No prompt with id '${promptId}'.`, { code: "prompt_not_found" });
    const rows = await listPromptCalibrations(deps.db, promptId, limit);
    return c.json({ calibrations: rows.map((r) => presentCalibration(r)) });
  });
}
