import { getPrompt } from "@proofgate/db";
import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../http/env.ts";
import { HttpError } from "../../http/errors.ts";
import { jsonBody } from "../validate.ts";
import type { CalibrationStarter } from "./deps.ts";
import type { Db } from "@proofgate/db";
import { presentCalibration } from "./present.ts";

const startBody = z
  .object({
    candidates: z.array(z.string().trim().min(1, "a candidate model name cannot be empty")).min(1, "give at least one candidate, or omit the field").optional(),
    maxPairs: z.number().int().min(1).max(100_000).optional(),
    maxCostUsd: z.number().positive().max(1_000_000).optional(),
  })
  .strict();

/** Maps the worker's refusal (its error is recognised by name: the worker's code is loaded lazily). */
function refusal(error: unknown, promptId: string): HttpError | null {
  if (!(error instanceof Error) || error.name !== "CalibrationInputError") return null;
  if (error.message.startsWith("unknown prompt")) return new HttpError("not_found", `No prompt with id '${promptId}'.`, { code: "prompt_not_found" });
  const running = error.message.includes("already running");
  return new HttpError("conflict", `Cannot calibrate prompt '${promptId}': ${error.message}.`, { code: running ? "calibration_running" : "calibration_refused" });
}

/** POST /api/prompts/:id/calibrations: starts a calibration; 202 with it, then follow GET /api/calibrations/:id. */
export function startCalibrationRoute(app: Hono<AppEnv>, deps: { db: Db; calibrations?: CalibrationStarter | undefined }): void {
  app.post("/prompts/:id/calibrations", async (c) => {
    const promptId = c.req.param("id");
    const body = await jsonBody(c, startBody);
    const start = deps.calibrations?.();
    if (!start) {
      throw new HttpError("unavailable", "This server runs no calibration workers, so it cannot start a calibration.", {
        code: "no_calibration_workers",
        retry: false,
      });
    }
    const prompt = await getPrompt(deps.db, promptId);
    if (!prompt) throw new HttpError("not_found", `No prompt with id '${promptId}'.`, { code: "prompt_not_found" });
    const baseline = body.candidates?.find((m) => m === prompt.model);
    if (baseline) throw new HttpError("invalid_request", `'${baseline}' is the prompt's baseline, not a candidate.`, { param: "candidates", code: "invalid_body" });
    try {
      const row = await start({ promptId, candidates: body.candidates, maxPairs: body.maxPairs, maxCostUsd: body.maxCostUsd });
      return c.json({ calibration: presentCalibration(row) }, 202, { location: `/api/calibrations/${row.id}` });
    } catch (error) {
      throw refusal(error, promptId) ?? error;
    }
  });
}
