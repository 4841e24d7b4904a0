import { providerOf, type FileConfig } from "@proofgate/config";
import { routeSpendSince, shadowSpend, type Db, type RealisedSavings, type RouteRow } from "@proofgate/db";
import type { PriceBook } from "@proofgate/providers";

export type { RealisedSavings };

/**
 * Realised savings of the current (or last) approval. The baseline's cost is estimated from the tokens the
 * candidate used: the two models' tokenizers differ, so it is an estimate, stated as such in the docs.
 */
export async function realisedSavings(db: Db, config: FileConfig, prices: PriceBook, route: RouteRow): Promise<RealisedSavings | null> {
  if (!route.approvedAt || !route.candidateModel) return null;
  // Requests served after a revert are on route baseline, so the route column alone bounds the period.
  const rows = await routeSpendSince(db, route.promptId, route.approvedAt);
  const candidate = rows.filter((r) => r.route === "candidate" && r.servedModel === route.candidateModel);
  const fallback = rows.filter((r) => r.route === "fallback");
  const inputTokens = candidate.reduce((s, r) => s + r.inputTokens, 0);
  const outputTokens = candidate.reduce((s, r) => s + r.outputTokens, 0);
  const candidateCostUsd = candidate.reduce((s, r) => s + r.costUsd, 0);
  const baselineCostUsd = prices.cost(providerOf(config, route.baselineModel), route.baselineModel, {
    inputTokens,
    outputTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  });
  // A revert bumps the version once: the samples belong to the approval before it.
  const shadow = await shadowSpend(db, route.promptId, route.state === "candidate" ? route.version : route.version - 1);
  return {
    since: route.approvedAt.toISOString(),
    candidateRequests: candidate.reduce((s, r) => s + r.requests, 0),
    fallbackRequests: fallback.reduce((s, r) => s + r.requests, 0),
    candidateCostUsd,
    baselineCostUsd,
    shadowCostUsd: shadow.costUsd,
    shadowSamples: shadow.samples,
    savedUsd: baselineCostUsd === null ? null : baselineCostUsd - candidateCostUsd - shadow.costUsd,
  };
}
