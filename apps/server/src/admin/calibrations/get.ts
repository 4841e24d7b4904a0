import { calibrationProgress, getCalibration, type Db } from "@proofgate/db";
import type { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { HttpError } from "../../http/errors.ts";
import { presentCalibration } from "./present.ts";

/** GET /api/calibrations/:id: status, progress, spend, and each candidate's report once completed. */
export function getCalibrationRoute(app: Hono<AppEnv>, deps: { db: Db }): void {
  app.get("/calibrations/:id", async (c) => {
    const id = c.req.param("id");
    const row = await getCalibration(deps.db, id);
    if (!row) throw new HttpError("not_found", `No calibration with id '${id}'.`, { code: "calibration_not_found" });
    return c.json({ calibration: presentCalibration(row, await calibrationProgress(deps.db, id)) });
  });
}
