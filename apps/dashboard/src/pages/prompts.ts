import {
  calibrationProgress,
  getPrompt,
  getRoute,
  listPromptCalibrations,
  listRouteEvents,
  listRoutes,
  promptCalibrationSummaries,
  recentCaptures,
  renamePrompt,
  searchPrompts,
  type Db,
  type PromptRow,
  type PromptSort,
} from "@proofgate/db";
import { inferContract } from "@proofgate/parity";
import type { Hono, MiddlewareHandler } from "hono";
import type { Sessions } from "../auth/session.ts";
import type { DashboardDeps, DashboardEnv } from "../env.ts";
import { NotFound } from "../errors.ts";
import { nestsDeeperThan } from "@proofgate/providers";
import { promptDetailPage, NAME_MAX, type PromptDetailView } from "../views/prompt-detail.ts";
import { bestCandidate, storedReport } from "../calibration-data.ts";
import { routeStatus } from "../routing-data.ts";
import { defaultDir, promptsListPage, type PromptListQuery, type PromptVerdicts } from "../views/prompts-list.ts";

export const PAGE_SIZE = 50;
const SAMPLE_CAPTURES = 10;
const CONTRACT_SAMPLES = 50;
/** The nesting limit requests get at ingress. */
const CONTRACT_MAX_DEPTH = 128;
const sorts: readonly PromptSort[] = ["traffic", "cost", "name", "seen"];

/** Unknown or malformed parameters fall back to the defaults: a hand-edited URL still shows a page. */
export function parseListQuery(params: Record<string, string | undefined>): PromptListQuery {
  const sort = sorts.find((s) => s === params["sort"]) ?? "cost";
  const dir = params["dir"] === "asc" || params["dir"] === "desc" ? params["dir"] : defaultDir(sort);
  const page = Number.parseInt(params["page"] ?? "1", 10);
  return { q: (params["q"] ?? "").trim().slice(0, 200), sort, dir, page: Number.isFinite(page) && page > 0 ? page : 1 };
}

/** Same rule as the list query: rates over the observed span, taken as at least a day. */
function rates(p: PromptRow): { perDay: number; monthlyCostUsd: number } {
  const days = Math.max((p.lastSeenAt.getTime() - p.firstSeenAt.getTime()) / 86_400_000, 1);
  return { perDay: p.captureCount / days, monthlyCostUsd: (p.costUsd / days) * 30 };
}

export function validateName(raw: unknown): { name: string } | { error: string } {
  const name = typeof raw === "string" ? raw.trim() : "";
  if (name.length === 0) return { error: "A name cannot be empty." };
  if (name.length > NAME_MAX) return { error: `A name has at most ${NAME_MAX} characters.` };
  if (/[\p{Cc}]/u.test(name)) return { error: "A name cannot contain control characters." };
  return { name };
}

export function promptRoutes(
  app: Hono<DashboardEnv>,
  db: Db,
  sessions: Sessions,
  headers: MiddlewareHandler<DashboardEnv>,
  startCalibration: DashboardDeps["startCalibration"],
  routing: DashboardDeps["routing"],
): void {
  app.get("/", headers, sessions.require(), async (c) => {
    const query = parseListQuery(c.req.query());
    const { rows, total } = await searchPrompts(db, {
      q: query.q,
      sort: query.sort,
      dir: query.dir,
      limit: PAGE_SIZE,
      offset: (query.page - 1) * PAGE_SIZE,
    });
    const [summaries, routes] = await Promise.all([promptCalibrationSummaries(db, rows.map((r) => r.id)), routing ? listRoutes(db) : []]);
    const serving = new Map(routes.filter((r) => r.state === "candidate").map((r) => [r.promptId, r.candidateModel ?? ""]));
    const verdicts = new Map<string, PromptVerdicts>();
    for (const [id, summary] of summaries) {
      const completed = summary.latestCompleted;
      verdicts.set(id, {
        best: completed ? bestCandidate(storedReport(completed)) : null,
        calibrationId: completed?.id ?? null,
        running: summary.running,
      });
    }
    return c.html(promptsListPage({ csrf: c.var.csrf, query, rows, total, pageSize: PAGE_SIZE, now: sessions.now(), verdicts, serving }));
  });

  const detail = async (id: string, csrf: string, extra: Pick<PromptDetailView, "flash" | "nameDraft">) => {
    const prompt = await getPrompt(db, id);
    if (!prompt) throw new NotFound(`There is no prompt with id “${id}”.`);
    const [captures, calibrationRows] = await Promise.all([recentCaptures(db, id, CONTRACT_SAMPLES), listPromptCalibrations(db, id)]);
    const calibrations = await Promise.all(
      calibrationRows.map(async (row) => ({ row, progress: row.status === "running" ? await calibrationProgress(db, row.id) : null })),
    );
    let routingView: PromptDetailView["routing"] = null;
    if (routing) {
      const [route, events] = await Promise.all([getRoute(db, id), listRouteEvents(db, { promptId: id, limit: 10 })]);
      routingView = { status: route ? await routeStatus(db, routing, route) : null, events, alpha: routing.alpha };
    }
    // The engine's inference recurses over parsed JSON; an output nested past the ingress limit (stored
    // before there was one) is left out of this preview rather than failing the page.
    const outputs = captures.flatMap((c) =>
      c.status < 400 && c.error === null && c.outputText && !nestsDeeperThan(c.outputText, CONTRACT_MAX_DEPTH) ? [c.outputText] : [],
    );
    const view: PromptDetailView = {
      csrf,
      prompt,
      ...rates(prompt),
      captures: captures.slice(0, SAMPLE_CAPTURES),
      calibrations,
      canCalibrate: startCalibration !== undefined,
      routing: routingView,
      contract: outputs.length > 0 ? inferContract(outputs) : null,
      contractSamples: outputs.length,
      now: sessions.now(),
      ...extra,
    };
    return promptDetailPage(view);
  };

  app.get("/prompts/:id", headers, sessions.require(), async (c) => {
    const flash =
      c.req.query("renamed") !== undefined
        ? ({ kind: "success", text: "Name saved." } as const)
        : c.req.query("calibrating") !== undefined
          ? ({ kind: "success", text: "Calibration started: its progress appears below as it runs." } as const)
          : c.req.query("approved") !== undefined
            ? ({ kind: "success", text: "Switch approved: this prompt is now served by the candidate." } as const)
            : c.req.query("reverted") !== undefined
              ? ({ kind: "success", text: "Reverted: this prompt is served by its baseline again." } as const)
              : c.req.query("unchanged") !== undefined
                ? ({ kind: "info", text: "Nothing to revert: this prompt is already served by its baseline." } as const)
                : undefined;
    return c.html(await detail(c.req.param("id"), c.var.csrf, flash ? { flash } : {}));
  });

  app.post("/prompts/:id/rename", headers, sessions.require(), sessions.csrf(), async (c) => {
    const id = c.req.param("id");
    const body = await c.req.parseBody();
    const result = validateName(body["name"]);
    if ("error" in result) {
      const draft = typeof body["name"] === "string" ? body["name"] : "";
      return c.html(await detail(id, c.var.csrf, { flash: { kind: "error", text: result.error }, nameDraft: draft }), 422);
    }
    const renamed = await renamePrompt(db, { id, name: result.name });
    if (!renamed) throw new NotFound(`There is no prompt with id “${id}”.`);
    return c.redirect(`/prompts/${encodeURIComponent(id)}?renamed=1`, 303);
  });

  app.post("/prompts/:id/calibrations", headers, sessions.require(), sessions.csrf(), async (c) => {
    const id = c.req.param("id");
    if (!startCalibration) throw new NotFound("This server does not run calibrations; start one with the proofgate CLI.");
    try {
      await startCalibration(id);
    } catch (error) {
      // A refusal the person can act on (no candidate configured, one already running) is shown on the page.
      if (!(error instanceof Error) || error.name !== "CalibrationInputError") throw error;
      return c.html(await detail(id, c.var.csrf, { flash: { kind: "error", text: `The calibration was not started: ${error.message}.` } }), 409);
    }
    return c.redirect(`/prompts/${encodeURIComponent(id)}?calibrating=1`, 303);
  });
}
