/**
 * Realised savings of an approved route since its approval: candidate cost against what the baseline would
 * have cost. Computed by the server from route spend and prices; shown by the admin API and the dashboard.
 */
export interface RealisedSavings {
  since: string;
  candidateRequests: number;
  fallbackRequests: number;
  /** What the candidate-served requests cost. */
  candidateCostUsd: number;
  /** What the same requests would have cost on the baseline, priced from the candidate's token counts. */
  baselineCostUsd: number | null;
  /** Baseline replays and judge calls of the drift watch. */
  shadowCostUsd: number;
  shadowSamples: number;
  /** baseline - candidate - shadow; null when the baseline has no known price. */
  savedUsd: number | null;
}
