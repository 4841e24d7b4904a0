/**
 * Which model serves a prompt. Looked up in memory on every request, before the upstream call, so it must be
 * a map read. Today every prompt is served by its baseline; an approved route (candidate, with fallback to
 * the baseline) will be a table filled from the routes in Postgres and refreshed in the background.
 */
export interface RouteDecision {
  route: "baseline" | "candidate";
  model: string;
}

export interface RouteTable {
  resolve(promptId: string, requestedModel: string): RouteDecision;
}

/** Every prompt goes to the model the caller asked for. */
export const baselineRoutes: RouteTable = {
  resolve: (_promptId, requestedModel) => ({ route: "baseline", model: requestedModel }),
};
