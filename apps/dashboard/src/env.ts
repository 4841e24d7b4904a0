import type { Db, RealisedSavings, RouteRow } from "@proofgate/db";
import type { SessionClaims } from "./auth/tokens.ts";

export type { RealisedSavings };

/**
 * The server's routing operations, the same ones the admin API and the CLI use, so the dashboard can never
 * approve on weaker evidence than they do. A refusal is an Error named RouteRefusal whose message says why.
 */
export interface DashboardRouting {
  approve(p: { promptId: string; model: string; actor: string; reason?: string }): Promise<RouteRow>;
  revert(p: { promptId: string; actor: string; reason?: string }): Promise<RouteRow | undefined>;
  savings(route: RouteRow): Promise<RealisedSavings | null>;
  /** The false-alarm rate of the drift watch (the configured alpha). */
  alpha: number;
  /** Share of candidate-served requests shadowed to the baseline. */
  shadowShare: number;
}

/** A client key's use in its current windows, from the proxy's limit counters (null: not readable now). */
export interface KeyUse {
  requestsThisMinute: number | null;
  tokensThisMinute: number | null;
  spentTodayUsd: number | null;
  spentThisMonthUsd: number | null;
}

/** What the dashboard needs from the server that mounts it. */
export interface DashboardDeps {
  db: Db;
  /** PROOFGATE_ADMIN_TOKEN; unset disables the dashboard (it says so rather than opening up). */
  adminToken: string | undefined;
  /** Clock in epoch milliseconds; injectable so tests can let a session expire. */
  now?: () => number;
  /** How long a session lasts from sign-in. */
  sessionTtlMs?: number;
  /** Approve and revert; without it every prompt is shown on its baseline and nothing can be switched. */
  routing?: DashboardRouting;
  /**
   * Starts a calibration of a prompt, when this server runs calibrations. A refusal (an Error named
   * CalibrationInputError: no candidate configured, one already running) is shown to the user in its own
   * words; any other error is a failure of the page. Absent: the prompt page points to the CLI instead.
   */
  startCalibration?: (promptId: string) => Promise<{ id: string }>;
  /** Reads a client key's current use; absent, the Keys page shows limits only. */
  keyUse?: (keyId: string) => Promise<KeyUse>;
  /** The server's logger (pino's signature); a page that fails to render is logged here with its request id. */
  logger?: { error(fields: object, message: string): void; warn?(fields: object, message: string): void };
}

export interface DashboardVariables {
  /** Set by the server's request-id middleware when mounted there; made here otherwise. */
  requestId: string;
  session: SessionClaims;
  /** The session's synchroniser token, for every form the page renders. */
  csrf: string;
}

export interface DashboardEnv {
  Variables: DashboardVariables;
}
