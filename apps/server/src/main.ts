import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { serve, type ServerType } from "@hono/node-server";
import type { Config } from "@proofgate/config";
import { ensureCapturePartitions, migrate, openDatabase, type Database } from "@proofgate/db";
import pino, { type Logger } from "pino";
import { collectDefaultMetrics, Registry } from "prom-client";
import { createApp, upstreamsFromConfig } from "./app.ts";
import { CaptureWriter } from "./capture/writer.ts";
import type { AppDeps } from "./deps.ts";
import { drainOnClose, type Drain } from "./http/drain.ts";
import { createKeyVerifier } from "./keys/verifier.ts";
import { startKeyLimits } from "./limits/start.ts";
import { routingMetrics } from "./routing/metrics.ts";
import { startRouteCache } from "./routing/start.ts";

/** Partitions are created this many months ahead, re-checked every few hours while running. */
const PARTITION_MONTHS_AHEAD = 3;
const PARTITION_CHECK_MS = 6 * 60 * 60 * 1000;


export interface StartOptions {
  config: Config;
  logger?: Logger;
  /** How long in-flight requests may take to finish at shutdown before their connections are cut. */
  drainTimeoutMs?: number;
  /** How long the final capture flush may take before the rest goes to the spool. */
  flushTimeoutMs?: number;
  /** Run the calibration workers in this process (default true). */
  calibration?: boolean;
  /** Queue settings for those workers (the demo lifts the provider rate limits its local simulator does not need). */
  calibrationQueue?: import("@proofgate/queue").QueueConfigOverrides;
  /** Redis key prefix of the key limit counters (default "proofgate:limits"). */
  limitsPrefix?: string;
}

/** Something else the process runs (the in-process worker, ...), stopped after HTTP and before captures. */
export type ShutdownStep = { name: string; run: () => Promise<void> };

export interface RunningServer {
  port: number;
  logger: Logger;
  metrics: Registry;
  database: Database;
  captures: CaptureWriter;
  /** Registers a step to run at shutdown, after HTTP has drained and before captures are flushed. */
  onShutdown(step: ShutdownStep): void;
  /** Graceful stop: stop accepting, finish in-flight requests, run steps, flush captures, close the db. */
  close(reason?: string): Promise<void>;
}

function closeHttp(server: ServerType, drain: Drain, timeoutMs: number, logger: Logger): Promise<void> {
  const http = server as import("node:http").Server;
  // Keep-alive clients are told to go elsewhere (Connection: close) instead of being served to the deadline.
  drain.start();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn({ timeoutMs }, "in-flight requests still open at the drain deadline; closing their connections");
      http.closeAllConnections?.();
    }, timeoutMs);
    timer.unref();
    // close() stops accepting and resolves once in-flight requests are done; idle keep-alive sockets are
    // closed so they do not hold it open.
    http.close(() => {
      clearTimeout(timer);
      resolve();
    });
    http.closeIdleConnections?.();
  });
}

/**
 * How far V8 lets the old generation grow past what survived the last full collection before it
 * collects again. With V8's own choice, a server whose live heap is 30-60 MB
 * held 150-340 MB of heap at c=64, much of it large dead strings (capture batches serialised for
 * Postgres) waiting for a full collection. At 20 % the heap stays within ~1.2x of what is live; full collections
 * come more often but mark concurrently. The young generation is capped on the command line instead
 * (`--max-semi-space-size=8` in `pnpm start`), since V8 reads that only at start-up. See docs/proxy.md.
 */
export const HEAP_GROWING_PERCENT = 20;

/** Applies the heap tuning above to this process; `proofgate start` and the benches call it before serving. */
export function tuneHeap(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * Log lines go to stdout through a buffer (written once 4 KB have gathered, or every 250 ms), so a
 * request never waits on a synchronous write. close() flushes it, and pino flushes it synchronously on
 * process exit, so no line is lost at shutdown.
 */
export function createLogger(level: string): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
  return pino({ level, base: { service: "proofgate" } }, destination);
}

function flushLogger(logger: Logger, timeoutMs = 2_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    try {
      logger.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** Opens storage, migrates, starts the capture writer and serves the app on PORT. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.env.LOG_LEVEL);
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });

  const database = await openDatabase({ databaseUrl: config.env.DATABASE_URL, dataDir: config.env.PROOFGATE_DATA_DIR });
  logger.info({ kind: database.kind, location: database.location }, "database opened");
  await migrate(database.db, { monthsAhead: PARTITION_MONTHS_AHEAD });
  const partitionTimer = setInterval(() => {
    ensureCapturePartitions(database.db, PARTITION_MONTHS_AHEAD).catch((err: unknown) =>
      logger.warn({ err }, "could not create capture partitions ahead; rows go to the default partition meanwhile"),
    );
  }, PARTITION_CHECK_MS);
  partitionTimer.unref();

  const capture = config.file.capture;
  const captures = new CaptureWriter({
    db: database.db,
    logger,
    metrics,
    dataDir: config.env.PROOFGATE_DATA_DIR,
    batchSize: capture.batchSize,
    flushIntervalMs: capture.flushIntervalMs,
    memoryLimit: capture.memoryLimit,
    memoryLimitBytes: capture.memoryLimitBytes,
    spoolLimitBytes: capture.spoolLimitBytes,
  }).start();
  const keys = createKeyVerifier({ db: database.db, logger, devKey: config.env.PROOFGATE_DEV_KEY });
  const limits = await startKeyLimits({ db: database.db, logger, redisUrl: config.env.REDIS_URL, prefix: options.limitsPrefix });
  const upstreams = upstreamsFromConfig(config);
  // Calibration workers: in this process on the in-process queue, or on BullMQ when REDIS_URL is set
  // (then separate worker processes may share the queues). Work is re-derived from Postgres at start.
  let driftReverted = (_promptId: string) => {};
  // Loaded here so a process that runs no calibrations never loads the worker's code.
  const worker = options.calibration === false ? null : await import("@proofgate/worker");
  const calibration =
    worker === null
      ? null
      : await worker.startCalibrationRuntime({ config, db: database.db, logger, upstreams, queueConfig: options.calibrationQueue, onDriftRevert: (id) => driftReverted(id) });
  const routes = await startRouteCache({ config, db: database.db, logger, metrics, queue: calibration?.deps.queue });
  driftReverted = () => {
    routingMetrics(metrics).reverts.inc({ cause: "drift" });
    void routes.refresh();
  };
  const deps: AppDeps = { config, logger, metrics, captures, keys, upstreams, db: database.db, routes, limiter: limits.limiter };
  // The admin API and the dashboard start calibrations on this process's workers (503 / no button without).
  if (worker && calibration) deps.calibrations = () => (input) => worker.startCalibration(calibration.deps, input);
  const app = createApp(deps);

  let server: ServerType;
  try {
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.env.PORT, hostname: config.env.HOST }, () => resolve(s));
      s.once("error", reject);
    });
  } catch (error) {
    // Nothing was served: put back what was opened, then report (a port in use is the usual cause).
    clearInterval(partitionTimer);
    await routes.close();
    await captures.close(1_000);
    await limits.close();
    await calibration?.close(1_000).catch(() => {});
    await upstreams.close().catch(() => {});
    await database.close().catch(() => {});
    throw new Error(`cannot listen on ${config.env.HOST}:${config.env.PORT}: ${(error as Error).message}`, { cause: error });
  }
  const drain = drainOnClose(server as import("node:http").Server);
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: config.env.HOST, storage: database.kind }, "proofgate listening");
  void flushLogger(logger);

  const steps: ShutdownStep[] = [];
  if (calibration) steps.push({ name: "calibration workers", run: async () => void (await calibration.close(25_000)) });
  steps.push({ name: "routing table", run: () => routes.close() });
  let closing: Promise<void> | null = null;
  const close = (reason = "close") => {
    closing ??= (async () => {
      logger.info({ reason }, "shutting down: no new connections, finishing in-flight requests");
      clearInterval(partitionTimer);
      await closeHttp(server, drain, options.drainTimeoutMs ?? 30_000, logger);
      for (const step of steps.reverse()) {
        await step.run().catch((err: unknown) => logger.error({ err, step: step.name }, "shutdown step failed"));
      }
      await captures.close(options.flushTimeoutMs ?? 10_000);
      await limits.close();
      await upstreams.close().catch((err: unknown) => logger.warn({ err }, "closing upstream pools failed"));
      await database.close().catch((err: unknown) => logger.warn({ err }, "closing the database failed"));
      logger.info("shutdown complete");
      await flushLogger(logger);
    })();
    return closing;
  };
  return { port, logger, metrics, database, captures, onShutdown: (step) => steps.push(step), close };
}

/**
 * Process lifecycle for `proofgate start`: SIGTERM / SIGINT stop gracefully and exit 0; a crash still
 * flushes what captures it can (to Postgres or the spool) before exiting 1.
 */
export function handleSignals(running: RunningServer): void {
  const { logger } = running;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, "already shutting down; waiting for in-flight requests and the capture flush");
      return;
    }
    stopping = true;
    running.close(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.fatal({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  // A stray rejection in a library must not take captures held in memory down with the process.
  process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled rejection"));
  process.on("uncaughtException", (err) => {
    logger.fatal({ err }, "uncaught exception; flushing captures before exit");
    const timer = setTimeout(() => process.exit(1), 5_000);
    timer.unref();
    running.captures.close(3_000).finally(() => process.exit(1));
  });
}
