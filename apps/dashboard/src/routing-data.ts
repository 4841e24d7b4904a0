import { getPrompt, listShadowSamples, type Db, type RouteRow } from "@proofgate/db";
import { driftTest, type CalibratedAxis, type DriftResult } from "@proofgate/parity";
import type { DashboardRouting, RealisedSavings } from "./env.ts";

export interface RouteStatus {
  route: RouteRow;
  savings: RealisedSavings | null;
  /** The drift watch of the current approval; null while the prompt is on its baseline. */
  drift: DriftResult | null;
}

/** The model serving a prompt now: the approved candidate, or the model its callers ask for. */
export function servingModel(route: RouteRow | undefined, requested: string): string {
  return route?.state === "candidate" && route.candidateModel ? route.candidateModel : requested;
}

/**
 * Where a routed prompt stands: realised savings from the server, and the drift test recomputed from the
 * stored shadow samples with the engine's own driftTest, so the page shows what the watch decides on.
 */
export async function routeStatus(db: Db, routing: DashboardRouting, route: RouteRow): Promise<RouteStatus> {
  const [savings, samples] = await Promise.all([
    routing.savings(route),
    route.state === "candidate" ? listShadowSamples(db, route.promptId, route.version) : Promise.resolve([]),
  ]);
  const drift =
    route.state === "candidate" ? driftTest((route.calibrated ?? []) as CalibratedAxis[], samples.map((s) => s.scores), routing.alpha) : null;
  return { route, savings, drift };
}

/** The drift watch in a few words: samples so far and how close the strongest evidence is to an alarm. */
export function driftWords(drift: DriftResult | null, alpha: number): string {
  if (!drift) return "not watching (served by the baseline)";
  if (drift.alarm) return `alarm: ${drift.reason}`;
  if (drift.samples === 0) return "watching: no shadow sample yet";
  const needed = Math.log(Math.max(1, drift.axes.length) / alpha);
  const strongest = Math.max(0, ...drift.axes.map((a) => a.logWealth));
  return `watching: ${drift.samples} shadow sample${drift.samples === 1 ? "" : "s"}, no drift (evidence ${Math.exp(strongest).toFixed(1)} of ${Math.exp(needed).toFixed(0)} needed for an alarm)`;
}

/** Display names of a few prompts (a page of routes or events), falling back to the id. */
export async function promptNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const rows = await Promise.all(unique.map((id) => getPrompt(db, id)));
  return new Map(unique.map((id, i) => [id, rows[i]?.name ?? id]));
}
