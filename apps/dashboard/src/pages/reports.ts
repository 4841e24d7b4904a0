import { getCalibration, getPrompt, getRoute, listDisagreements, type Db } from "@proofgate/db";
import type { Hono, MiddlewareHandler } from "hono";
import type { Sessions } from "../auth/session.ts";
import { storedReport } from "../calibration-data.ts";
import type { DashboardEnv, DashboardRouting } from "../env.ts";
import { servingModel } from "../routing-data.ts";
import { NotFound } from "../errors.ts";
import { exampleView } from "../report-model.ts";
import { reportPage } from "../views/report.ts";

const EXAMPLES = 6;

/** The parity report of one candidate of one calibration. */
export function reportRoutes(
  app: Hono<DashboardEnv>,
  db: Db,
  sessions: Sessions,
  headers: MiddlewareHandler<DashboardEnv>,
  routing: DashboardRouting | undefined,
): void {
  app.get("/calibrations/:id/report", headers, sessions.require(), async (c) => {
    const id = c.req.param("id");
    const model = c.req.query("model") ?? "";
    const calibration = await getCalibration(db, id);
    if (!calibration) throw new NotFound(`There is no calibration with id “${id}”.`);
    const report = storedReport(calibration)?.candidates[model];
    if (!report) {
      throw new NotFound(
        calibration.status === "running"
          ? "This calibration is still running; its reports appear when it finishes."
          : `Calibration “${id}” has no report for “${model}”.`,
      );
    }
    const [prompt, disagreements, route] = await Promise.all([
      getPrompt(db, calibration.promptId),
      listDisagreements(db, { calibrationId: id, model, limit: EXAMPLES }),
      getRoute(db, calibration.promptId),
    ]);
    return c.html(
      reportPage({
        csrf: c.var.csrf,
        promptId: calibration.promptId,
        promptTitle: prompt?.name ?? calibration.promptId,
        calibrationId: id,
        finishedAt: calibration.finishedAt,
        report,
        spendUsd: calibration.spendUsd,
        examples: disagreements.map(exampleView),
        servingModel: servingModel(route, prompt?.model ?? calibration.baselineModel),
        approvals: routing !== undefined,
      }),
    );
  });
}
