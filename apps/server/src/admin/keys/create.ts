import { randomUUID } from "node:crypto";
import { insertClientKey } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import { generateKey } from "../../keys/key-material.ts";
import type { AdminDeps } from "../deps.ts";
import { jsonBody } from "../validate.ts";
import { limitFields, presentKey, useOf } from "./present.ts";

const createBody = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  ...limitFields,
});

/** POST /api/keys {name, rpm?, tpm?, dailyUsd?, monthlyUsd?}: a new client key, its secret in this answer only. */
export function createKeyRoute(app: Hono<AppEnv>, deps: AdminDeps): void {
  app.post("/", async (c) => {
    const body = await jsonBody(c, createBody);
    const k = generateKey();
    const row = await insertClientKey(deps.db, { ...body, id: randomUUID(), keyHash: k.keyHash, prefix: k.prefix });
    return c.json({ key: presentKey(row, await useOf(deps.limiter, row)), secret: k.key }, 201);
  });
}
