import type { Db } from "@proofgate/db";
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import type { CalibrationStarter } from "./deps.ts";
import { getCalibrationRoute } from "./get.ts";
import { listCalibrationsRoute } from "./list.ts";
import { startCalibrationRoute } from "./start.ts";

export type { CalibrationStarter, StartCalibrationFn, CalibrationStartInput } from "./deps.ts";

/** Calibrations: started per prompt, read by id. Mounted at /api. */
export function calibrationRoutes(deps: { db: Db; calibrations?: CalibrationStarter | undefined }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  startCalibrationRoute(app, deps);
  listCalibrationsRoute(app, deps);
  getCalibrationRoute(app, deps);
  return app;
}
