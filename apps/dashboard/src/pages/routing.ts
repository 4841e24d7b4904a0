import { getCalibration, getPrompt, latestCalibrationFor, listRouteEvents, listRoutes, type Db } from "@proofgate/db";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { Sessions } from "../auth/session.ts";
import { storedReport } from "../calibration-data.ts";
import type { DashboardEnv, DashboardRouting } from "../env.ts";
import { NotFound } from "../errors.ts";
import { promptNames, routeStatus } from "../routing-data.ts";
import { approvePage, type ApproveView } from "../views/report.ts";
import { auditPage, routesPage } from "../views/routing.ts";

const EVENTS_PAGE = 50;
const ACTOR = "dashboard";

const promptHref = (id: string) => `/prompts/${encodeURIComponent(id)}`;

/** The confirmation's content, from the report the person was reading; refused when it cannot be approved. */
async function approval(db: Db, routing: DashboardRouting, csrf: string, promptId: string, calibrationId: string, model: string): Promise<ApproveView> {
  const [prompt, calibration] = await Promise.all([getPrompt(db, promptId), getCalibration(db, calibrationId)]);
  if (!prompt || !calibration || calibration.promptId !== promptId) throw new NotFound("There is no such calibration of this prompt.");
  const report = storedReport(calibration)?.candidates[model];
  if (!report) throw new NotFound(`Calibration “${calibrationId}” has no report for “${model}”.`);
  const savings = report.savings;
  return {
    csrf,
    promptId,
    promptTitle: prompt.name ?? prompt.id,
    baseline: prompt.model,
    candidate: model,
    calibrationId,
    savings: savings ? { baselineMonthlyUsd: savings.monthlyCostNowUsd.estimate, candidateMonthlyUsd: savings.monthlyCostWithCandidateUsd.estimate } : null,
    shadowShare: routing.shadowShare,
  };
}

function form(body: Record<string, string | File | (string | File)[]>, name: string): string {
  const value = body[name];
  return typeof value === "string" ? value : "";
}

/** Routes, audit log, approve (after a confirmation) and revert. */
export function routingRoutes(
  app: Hono<DashboardEnv>,
  db: Db,
  sessions: Sessions,
  headers: MiddlewareHandler<DashboardEnv>,
  routing: DashboardRouting | undefined,
): void {
  app.get("/routes", headers, sessions.require(), async (c) => {
    if (!routing) return c.html(routesPage(c.var.csrf, null, 0, new Map()));
    const rows = await listRoutes(db);
    const [statuses, names] = await Promise.all([Promise.all(rows.map((r) => routeStatus(db, routing, r))), promptNames(db, rows.map((r) => r.promptId))]);
    return c.html(routesPage(c.var.csrf, statuses, routing.alpha, names));
  });

  app.get("/audit", headers, sessions.require(), async (c) => {
    if (!routing) return c.html(auditPage(c.var.csrf, null, null, new Map()));
    const before = c.req.query("before");
    const beforeDate = before && !Number.isNaN(Date.parse(before)) ? new Date(before) : undefined;
    const events = await listRouteEvents(db, { limit: EVENTS_PAGE, before: beforeDate });
    const last = events.at(-1);
    const older = events.length === EVENTS_PAGE && last ? `/audit?before=${encodeURIComponent(last.createdAt.toISOString())}` : null;
    return c.html(auditPage(c.var.csrf, events, older, await promptNames(db, events.map((e) => e.promptId))));
  });

  const needRouting = (): DashboardRouting => {
    if (!routing) throw new NotFound("This server cannot switch prompts.");
    return routing;
  };

  app.get("/prompts/:id/approve", headers, sessions.require(), async (c) => {
    const view = await approval(db, needRouting(), c.var.csrf, c.req.param("id"), c.req.query("calibration") ?? "", c.req.query("model") ?? "");
    return c.html(approvePage(view));
  });

  app.post("/prompts/:id/route", headers, sessions.require(), sessions.csrf(), async (c: Context<DashboardEnv>) => {
    const routes = needRouting();
    const promptId = c.req.param("id") ?? "";
    const body = await c.req.parseBody();
    const model = form(body, "model");
    const calibrationId = form(body, "calibration");
    const view = await approval(db, routes, c.var.csrf, promptId, calibrationId, model);
    const refuse = (message: string) => c.html(approvePage({ ...view, refusal: message }), 409);
    // The server approves on the newest calibration of this candidate: if that is not the report the person
    // read, they confirm evidence they have not seen. Send them to the newer one instead.
    const latest = await latestCalibrationFor(db, promptId, model);
    if (latest && latest.id !== calibrationId) return refuse("A newer calibration of this candidate exists: review its report before approving.");
    try {
      await routes.approve({ promptId, model, actor: ACTOR, reason: `approved in the dashboard on calibration ${calibrationId}` });
    } catch (error) {
      if (error instanceof Error && error.name === "RouteRefusal") return refuse(error.message);
      throw error;
    }
    return c.redirect(`${promptHref(promptId)}?approved=1`, 303);
  });

  app.post("/prompts/:id/revert", headers, sessions.require(), sessions.csrf(), async (c) => {
    const routes = needRouting();
    const promptId = c.req.param("id");
    if (!(await getPrompt(db, promptId))) throw new NotFound(`There is no prompt with id “${promptId}”.`);
    const reverted = await routes.revert({ promptId, actor: ACTOR, reason: "reverted in the dashboard" });
    return c.redirect(`${promptHref(promptId)}?${reverted ? "reverted" : "unchanged"}=1`, 303);
  });
}
