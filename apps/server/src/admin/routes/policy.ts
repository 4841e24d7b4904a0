import { getPrompt, setAutoApprove } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import { HttpError } from "../../http/errors.ts";
import type { RoutingAdminDeps } from "./deps.ts";
import { jsonBody } from "../validate.ts";
import { presentRoute } from "./present.ts";

const policyBody = z.object({ autoApprove: z.boolean() });

/** PUT /api/prompts/:id/route/policy {autoApprove}: the opt-in to switch on a passing report without a person. */
export function routePolicyRoute(app: Hono<AppEnv>, deps: RoutingAdminDeps): void {
  app.put("/prompts/:id/route/policy", async (c) => {
    const promptId = c.req.param("id");
    const { autoApprove } = await jsonBody(c, policyBody);
    const prompt = await getPrompt(deps.db, promptId);
    if (!prompt) throw new HttpError("not_found", `No prompt with id '${promptId}'.`, { code: "prompt_not_found" });
    const row = await setAutoApprove(deps.db, { promptId, baselineModel: prompt.model, autoApprove, actor: "admin-api" });
    return c.json({ route: presentRoute(row) });
  });
}
