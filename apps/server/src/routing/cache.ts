import { baselineLatency, listActiveRoutes, listenRouteChanges, revertRoute, type Db, type RouteListener, type RouteRow } from "@proofgate/db";
import { compileContract, type ContractChecker, type FormatContract } from "@proofgate/parity";
import type { Provider } from "@proofgate/providers";
import type { Logger } from "pino";
import type { ActiveRoute, RouteDecision, RouteOutcome, RouteTable } from "../proxy/route-table.ts";
import type { RoutingMetrics } from "./metrics.ts";

export interface RouteCacheOptions {
  db: Db;
  logger: Logger;
  metrics: RoutingMetrics;
  /** postgres:// URL to LISTEN on; without it (PGlite: one process) changes arrive through refresh(). */
  databaseUrl?: string | undefined;
  /** routing.* from the config file. */
  shadowShare: number;
  fallbackRevertRate: number;
  fallbackWindow: number;
  candidateTimeoutMs?: number | undefined;
  /** Full reload period: the safety net for a lost notification. */
  reloadMs?: number;
  /** Sends a candidate-served request to the drift watch (the shadow queue). */
  shadow?: (job: { promptId: string; captureId: string; baselineModel: string; candidateModel: string }) => void;
  random?: () => number;
  /** Which wire serves a model (the config's providerOf). */
  providerOf: (model: string) => Provider;
}

/** Floor and multiple of the baseline's p95 for the default candidate time-out. */
const MIN_TIMEOUT_MS = 2_000;
const TIMEOUT_FACTOR = 2;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Shadow samples per prompt per minute and process, whatever the share (see #shadowAllowed). */
export const SHADOW_PER_MINUTE = 30;

/**
 * The routing table of one server process: a Map read on every request (no I/O on the request path),
 * filled from Postgres at start, on every NOTIFY, and every `reloadMs` as a safety net. It also keeps, per
 * switched prompt, the recent outcomes (candidate or fallback) and reverts the route when fallbacks pass
 * `fallbackRevertRate` over the last `fallbackWindow` requests.
 */
export class RouteCache implements RouteTable {
  #routes = new Map<string, ActiveRoute>();
  #checkers = new Map<string, { version: number; check: ContractChecker }>();
  #windows = new Map<string, { version: number; outcomes: boolean[]; fallbacks: number }>();
  #shadowWindows = new Map<string, { minute: number; count: number }>();
  #options: RouteCacheOptions;
  #listener: RouteListener | null = null;
  #timer: NodeJS.Timeout | null = null;
  #loading: Promise<void> | null = null;
  #pending: Promise<void> | null = null;
  #closed = false;

  constructor(options: RouteCacheOptions) {
    this.#options = options;
  }

  resolve(promptId: string, requestedModel: string): RouteDecision {
    const route = this.#routes.get(promptId);
    if (route && route.baselineModel === requestedModel) return { route: "candidate", model: route.candidateModel, routed: route };
    return { route: "baseline", model: requestedModel };
  }

  /** The switched prompts as this process serves them now. */
  active(): ActiveRoute[] {
    return [...this.#routes.values()];
  }

  async start(): Promise<this> {
    await this.reload();
    const { databaseUrl, logger } = this.#options;
    if (databaseUrl) {
      // A (re)connected listener may have missed changes while it was away: reload everything then.
      this.#listener = await listenRouteChanges(databaseUrl, () => void this.refresh(), () => void this.refresh());
    }
    this.#timer = setInterval(() => void this.refresh(), this.#options.reloadMs ?? 30_000);
    this.#timer.unref();
    logger.info({ routes: this.#routes.size, listening: Boolean(databaseUrl) }, "routing table loaded");
    return this;
  }

  /**
   * Reloads; the promise settles after a reload that started after this call, so a caller that has just
   * committed a change sees it. Calls during a reload share one more reload after it.
   */
  refresh(): Promise<void> {
    if (this.#loading) {
      this.#pending ??= this.#loading.then(() => {
        this.#pending = null;
        return this.#closed ? undefined : this.refresh();
      });
      return this.#pending;
    }
    this.#loading = this.reload()
      .catch((err: unknown) => this.#options.logger.warn({ err }, "routing table reload failed; serving the last one"))
      .finally(() => {
        this.#loading = null;
      });
    return this.#loading;
  }

  async reload(): Promise<void> {
    const rows = await listActiveRoutes(this.#options.db);
    const next = new Map<string, ActiveRoute>();
    for (const row of rows) {
      try {
        next.set(row.promptId, await this.#activate(row));
      } catch (err) {
        // A route that cannot be served safely (unreadable contract) is served by its baseline.
        this.#options.logger.error({ err, prompt: row.promptId }, "route skipped: its format contract cannot be compiled");
      }
    }
    this.#routes = next;
  }

  async #activate(row: RouteRow): Promise<ActiveRoute> {
    const existing = this.#routes.get(row.promptId);
    if (existing && existing.version === row.version) return existing;
    let checker = this.#checkers.get(row.promptId);
    if (!checker || checker.version !== row.version) {
      checker = { version: row.version, check: compileContract(row.contract as FormatContract) };
      this.#checkers.set(row.promptId, checker);
    }
    const timeoutMs = this.#options.candidateTimeoutMs ?? (await this.#defaultTimeout(row));
    const route: ActiveRoute = {
      promptId: row.promptId,
      version: row.version,
      baselineModel: row.baselineModel,
      candidateModel: row.candidateModel!,
      candidateProvider: this.#options.providerOf(row.candidateModel!),
      check: checker.check,
      json: (row.contract as FormatContract).mode === "json",
      timeoutMs,
      report: (outcome) => this.#report(route, outcome),
    };
    return route;
  }

  async #defaultTimeout(row: RouteRow): Promise<number> {
    const observed = await baselineLatency(this.#options.db, row.promptId, row.baselineModel);
    if (observed.n === 0 || observed.latencyP95Ms === null) return DEFAULT_TIMEOUT_MS;
    return Math.max(MIN_TIMEOUT_MS, Math.ceil(observed.latencyP95Ms * TIMEOUT_FACTOR));
  }

  #report(route: ActiveRoute, outcome: RouteOutcome): void {
    const { metrics, shadowShare, shadow } = this.#options;
    metrics.served.inc({ route: outcome.fallback ? "fallback" : "candidate" });
    if (outcome.fallback) metrics.fallbacks.inc({ reason: outcome.reason ?? "error" });
    else if (shadow && shadowShare > 0 && (this.#options.random ?? Math.random)() < shadowShare && this.#shadowAllowed(route.promptId)) {
      metrics.shadowEnqueued.inc();
      shadow({ promptId: route.promptId, captureId: outcome.captureId, baselineModel: route.baselineModel, candidateModel: route.candidateModel });
    }
    this.#watchFallbacks(route, outcome.fallback);
  }

  /**
   * At most SHADOW_PER_MINUTE samples per prompt and process: the shadow queue drains at a bounded rate
   * (its group limit), and at high traffic a fixed share would otherwise pile up jobs without end. The
   * drift test needs a steady trickle, not every request.
   */
  #shadowAllowed(promptId: string): boolean {
    const minute = Math.floor(Date.now() / 60_000);
    const w = this.#shadowWindows.get(promptId);
    if (!w || w.minute !== minute) {
      this.#shadowWindows.set(promptId, { minute, count: 1 });
      return true;
    }
    if (w.count >= SHADOW_PER_MINUTE) return false;
    w.count += 1;
    return true;
  }

  #watchFallbacks(route: ActiveRoute, fallback: boolean): void {
    const { fallbackWindow, fallbackRevertRate } = this.#options;
    let w = this.#windows.get(route.promptId);
    if (!w || w.version !== route.version) {
      w = { version: route.version, outcomes: [], fallbacks: 0 };
      this.#windows.set(route.promptId, w);
    }
    w.outcomes.push(fallback);
    if (fallback) w.fallbacks += 1;
    if (w.outcomes.length > fallbackWindow && w.outcomes.shift()) w.fallbacks -= 1;
    if (w.outcomes.length < fallbackWindow || w.fallbacks / w.outcomes.length <= fallbackRevertRate) return;
    const rate = w.fallbacks / w.outcomes.length;
    this.#windows.delete(route.promptId);
    // Stop sending to the candidate in this process at once; the revert tells the others.
    if (this.#routes.get(route.promptId)?.version === route.version) this.#routes.delete(route.promptId);
    this.#options.metrics.reverts.inc({ cause: "fallback_rate" });
    const reason = `fallback rate ${(rate * 100).toFixed(1)}% over the last ${fallbackWindow} requests is above ${(fallbackRevertRate * 100).toFixed(1)}%`;
    revertRoute(this.#options.db, { promptId: route.promptId, actor: "fallback-watch", reason, version: route.version, details: { rate, window: fallbackWindow } })
      .then(() => this.#options.logger.warn({ prompt: route.promptId, reason }, "route reverted"))
      .catch((err: unknown) => this.#options.logger.error({ err, prompt: route.promptId }, "automatic revert failed"))
      .finally(() => void this.refresh());
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#listener?.close().catch(() => {});
    // A reload stuck on a database that does not answer must not hold shutdown; its result is unused.
    await Promise.race([this.#loading, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  }
}
