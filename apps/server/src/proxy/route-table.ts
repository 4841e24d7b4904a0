import type { ContractChecker } from "@proofgate/parity";
import type { Provider } from "@proofgate/providers";

/**
 * Which model serves a prompt. Looked up in memory on every request, before the upstream call, so it must be
 * a map read. A switched prompt resolves to its candidate with everything needed to fall back to the
 * baseline within the same request (apps/server/src/routing/cache.ts fills it from Postgres).
 */
export interface RouteDecision {
  route: "baseline" | "candidate" | "fallback";
  model: string;
  /** Present when a switched prompt is being sent to its candidate. */
  routed?: ActiveRoute;
}

/** How a candidate-routed request ended: served by the candidate, or by the baseline after a fallback. */
export type RouteOutcome = { fallback: false; captureId: string } | { fallback: true; reason: "error" | "timeout" | "contract" };

export interface ActiveRoute {
  promptId: string;
  version: number;
  baselineModel: string;
  candidateModel: string;
  /** The candidate's wire; when it is not the client's, request and reply are translated. */
  candidateProvider: Provider;
  /** The format contract of the passing report, compiled once per approval. */
  check: ContractChecker;
  /** JSON contract: streamed replies are held until the whole reply is known to be valid. */
  json: boolean;
  timeoutMs: number;
  report(outcome: RouteOutcome): void;
}

export interface RouteTable {
  resolve(promptId: string, requestedModel: string): RouteDecision;
  /** Reloads from the source of truth after a change made in this process. */
  refresh?(): Promise<void>;
}

/** Every prompt goes to the model the caller asked for. */
export const baselineRoutes: RouteTable = {
  resolve: (_promptId, requestedModel) => ({ route: "baseline", model: requestedModel }),
};
