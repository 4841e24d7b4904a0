import { updateClientKeyLimits } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import { HttpError } from "../../http/errors.ts";
import type { AdminDeps } from "../deps.ts";
import { jsonBody } from "../validate.ts";
import { limitFields, presentKey, useOf } from "./present.ts";

const updateBody = z.strictObject(limitFields);

/**
 * PATCH /api/keys/:id {rpm?, tpm?, dailyUsd?, monthlyUsd?}: sets (a number) or removes (null) limits of an
 * active key. Running proxies apply them once their cached verification of the key expires (30 s).
 */
export function updateKeyRoute(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.patch("/:id", async (c) => {
    const id = c.req.param("id");
    const limits = await jsonBody(c, updateBody);
    const row = await updateClientKeyLimits(deps.db, id, limits);
    if (!row) throw new HttpError("not_found", `No active key with id '${id}'.`, { code: "key_not_found" });
    return c.json({ key: presentKey(row, await useOf(deps.limiter, row)) });
  });
}
