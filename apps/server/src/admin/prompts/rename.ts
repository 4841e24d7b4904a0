import { renamePrompt } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import { HttpError } from "../../http/errors.ts";
import type { AdminDeps } from "../deps.ts";
import { jsonBody } from "../validate.ts";
import { presentPrompt } from "./present.ts";

const renameBody = z.object({ name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters") });

/** PATCH /api/prompts/:id {name}: changes the display name; the id, and all that points at it, stays. */
export function renamePromptRoute(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.patch("/:id", async (c) => {
    const id = c.req.param("id");
    const { name } = await jsonBody(c, renameBody);
    const prompt = await renamePrompt(deps.db, { id, name });
    if (!prompt) throw new HttpError("not_found", `No prompt with id '${id}'.`, { code: "prompt_not_found" });
    return c.json({ prompt: presentPrompt(prompt, { template: true }) });
  });
}
