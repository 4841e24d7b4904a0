import { getPrompt, recentCaptures } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import { HttpError } from "../../http/errors.ts";
import type { AdminDeps } from "../deps.ts";
import { storedJson } from "../json.ts";
import { query } from "../validate.ts";
import { presentCapture, presentPrompt } from "./present.ts";

const getQuery = z.object({ captures: z.coerce.number().int().min(0).max(100).default(10) });

/** GET /api/prompts/:id: the prompt, its template, and its most recent captures. */
export function getPromptRoute(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.get("/:id", async (c) => {
    const id = c.req.param("id");
    const { captures } = query(c, getQuery);
    const prompt = await getPrompt(deps.db, id);
    if (!prompt) throw new HttpError("not_found", `No prompt with id '${id}'.`, { code: "prompt_not_found" });
    const recent = captures > 0 ? await recentCaptures(deps.db, id, captures) : [];
    return storedJson(c, { prompt: presentPrompt(prompt, { template: true }), recentCaptures: recent.map(presentCapture) });
  });
}
