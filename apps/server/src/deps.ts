import type { Config } from "@proofgate/config";
import type { CaptureRecord, ClientKeyLimits, Db } from "@proofgate/db";
import type { Upstreams } from "@proofgate/providers";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { CalibrationStarter } from "./admin/calibrations/deps.ts";
import type { KeyLimiter } from "./limits/limiter.ts";
import type { RouteTable } from "./proxy/route-table.ts";

/** Takes a capture off the request path. Must never throw and never block. */
export interface CaptureSink {
  push(record: CaptureRecord): void;
}

/** A verified client key: who it is and, for created keys, its limits (cached with it). */
export interface KeyIdentity {
  id: string;
  name: string;
  limits?: ClientKeyLimits;
}

/** Checks a client key (hashed lookup, cached); null when the key is unknown or revoked. */
export interface KeyVerifier {
  verify(key: string): Promise<KeyIdentity | null>;
}

/** Everything createApp needs, injected so tests can build an app around real or local parts. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  metrics: Registry;
  captures: CaptureSink;
  keys: KeyVerifier;
  /** Upstream connection pools; made from config when absent. Pass them to close them at shutdown. */
  upstreams?: Upstreams;
  /** Which model serves each prompt; every prompt goes to its baseline when absent. */
  routes?: RouteTable;
  /** The database the admin API reads; without it /api answers 503. */
  db?: Db;
  /** Per-key limit counters; in this process's memory when absent. */
  limiter?: KeyLimiter;
  /** Starts a calibration (admin API, dashboard button); read per request, so it may appear after the app is built. */
  calibrations?: CalibrationStarter;
}
