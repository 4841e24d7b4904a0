import { parseArgs } from "node:util";
import { AdminApiError, adminClient } from "./admin-client.ts";
import { UsageError, type Command } from "./context.ts";
import { progressView } from "./progress.ts";
import { reportLines, type PresentedCalibration } from "./report-table.ts";

const USAGE = "proofgate calibrate <prompt-id> [--candidates a,b] [--max-pairs N] [--max-cost USD] [--url http://127.0.0.1:8080] [--detach]";

function positiveNumber(name: string, raw: string | undefined, integer: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a positive ${integer ? "whole number" : "number"}, not '${raw}'\n${USAGE}`);
  }
  return value;
}

/**
 * Starts a calibration on the running server (its admin API: PROOFGATE_ADMIN_TOKEN, PORT or --url), shows
 * its progress until it ends, then the verdict per candidate with its evidence, spend and projected saving.
 */
export const calibrateCommand: Command = {
  summary: "start a calibration for a prompt on the running server and follow it",
  usage: USAGE,
  async run(args, ctx) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        candidates: { type: "string" },
        "max-pairs": { type: "string" },
        "max-cost": { type: "string" },
        url: { type: "string" },
        detach: { type: "boolean" },
        "interval-ms": { type: "string" },
      },
    });
    const [promptId] = positionals;
    if (!promptId || positionals.length > 1) throw new UsageError(USAGE);
    const candidates = values.candidates
      ?.split(",")
      .map((m) => m.trim())
      .filter(Boolean);
    if (values.candidates !== undefined && !candidates?.length) throw new UsageError(`--candidates needs at least one model name\n${USAGE}`);
    const body = {
      ...(candidates ? { candidates } : {}),
      ...(values["max-pairs"] ? { maxPairs: positiveNumber("max-pairs", values["max-pairs"], true) } : {}),
      ...(values["max-cost"] ? { maxCostUsd: positiveNumber("max-cost", values["max-cost"], false) } : {}),
    };
    const intervalMs = positiveNumber("interval-ms", values["interval-ms"], true) ?? 1_000;
    const api = adminClient(ctx, values.url);

    let calibration: PresentedCalibration;
    try {
      ({ calibration } = await api.request<{ calibration: PresentedCalibration }>("POST", `/prompts/${encodeURIComponent(promptId)}/calibrations`, body));
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      ctx.err(`calibration not started: ${error.message}`);
      return 1;
    }
    ctx.out(`calibration ${calibration.id} started for prompt ${promptId}: ${calibration.candidates.join(", ")} against ${calibration.baselineModel}, at most ${calibration.budget.maxPairs} pairs and $${calibration.budget.maxCostUsd.toFixed(2)}`);
    if (values.detach) {
      ctx.out(`follow it with: pnpm proofgate report ${calibration.id}`);
      return 0;
    }
    const finished = await follow(api, calibration.id, await progressView(ctx, promptId), intervalMs);
    for (const line of reportLines(finished)) ctx.out(line);
    return finished.status === "completed" ? 0 : 1;
  },
};

/** Polls GET /api/calibrations/:id until the calibration is no longer running. */
export async function follow(
  api: { request<T>(method: string, path: string): Promise<T> },
  id: string,
  view: { update(c: PresentedCalibration): void; done(): void },
  intervalMs: number,
): Promise<PresentedCalibration> {
  try {
    for (;;) {
      const { calibration } = await api.request<{ calibration: PresentedCalibration }>("GET", `/calibrations/${encodeURIComponent(id)}`);
      view.update(calibration);
      if (calibration.status !== "running") return calibration;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  } finally {
    view.done();
  }
}
