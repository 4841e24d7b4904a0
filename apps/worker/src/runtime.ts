import type { Logger } from "pino";
import type { Config } from "@proofgate/config";
import type { Db } from "@proofgate/db";
import { upstreamsFromConfig } from "@proofgate/core";
import { PriceBook, type Upstreams } from "@proofgate/providers";
import { createQueueDriver, type QueueConfigOverrides, type QueueDriver } from "@proofgate/queue";
import { calibrationProcessors } from "./calibration/processors.ts";
import { shadowProcessor } from "./shadow/processor.ts";
import { resumeCalibrations } from "./calibration/recover.ts";
import { recoveryRunner } from "./calibration/recovery-runner.ts";
import { every, watchDueCalibrations } from "./calibration/auto-start.ts";
import { throttledWarn } from "./throttled-warn.ts";
import { startWorkers, type CloseResult, type RunningWorkers } from "./start-workers.ts";
import type { CalibrationDeps } from "./calibration/deps.ts";

export interface CalibrationRuntimeOptions {
  config: Config;
  db: Db;
  logger: Logger;
  /** The server's own pools when it runs the workers in its process; else pools are made from config. */
  upstreams?: Upstreams;
  /** An existing driver (the one the admin API enqueues on); else one from REDIS_URL. */
  queue?: QueueDriver;
  queueConfig?: QueueConfigOverrides;
  /** How often to look for prompts due for an automatic calibration (config autoCalibrateAfter > 0). */
  autoCheckMs?: number;
  /**
   * How often to re-derive running calibrations' missing work from Postgres while running (default 5
   * min), besides at start and as soon as the queue driver reports a loss (a Redis restarted empty, a
   * flush): the backstop for losses no marker shows (a partial eviction). 0: only at start and on loss.
   */
  resumeEveryMs?: number;
  /** Key prefix of the BullMQ queues (default "proofgate"); tests use their own. */
  queuePrefix?: string;
  /** Called when the drift watch has reverted a route. */
  onDriftRevert?: (promptId: string, reason: string) => void;
}

export interface CalibrationRuntime {
  deps: CalibrationDeps;
  workers: RunningWorkers;
  /** Ordered: workers stop and drain (up to timeoutMs), the queue closes, then pools made here close. */
  close(timeoutMs?: number): Promise<CloseResult>;
}

/**
 * Everything a process needs to run calibrations: the queue driver (BullMQ on REDIS_URL, else in
 * process), the calibration processors, and a recovery pass that re-derives unfinished work from
 * Postgres (the in-process queue always starts empty; a Redis may have lost its data).
 */
export async function startCalibrationRuntime(options: CalibrationRuntimeOptions): Promise<CalibrationRuntime> {
  const { config, logger } = options;
  const ownUpstreams = options.upstreams
    ? undefined
    : upstreamsFromConfig(config);
  const queue =
    options.queue ??
    createQueueDriver({
      redisUrl: config.env.REDIS_URL,
      ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}),
      ...(options.queueConfig ? { config: options.queueConfig } : {}),
      onError: throttledWarn(logger, "queue connection error"),
    });
  const deps: CalibrationDeps = {
    db: options.db,
    queue,
    upstreams: options.upstreams ?? (ownUpstreams as Upstreams),
    prices: new PriceBook(config.file.models, (options.upstreams ?? (ownUpstreams as Upstreams)).registry.priceIds()),
    config: config.file,
  };
  const workers = startWorkers({ driver: queue, processors: [...calibrationProcessors(deps), shadowProcessor(deps, { onDriftRevert: (id, why) => options.onDriftRevert?.(id, why) })], logger });
  // Start-up, periodic and loss-triggered passes share one runner, so they never overlap. Listening
  // starts first: a loss during the start-up pass is then seen too.
  const recovery = recoveryRunner(() => resumeCalibrations(deps), logger);
  const stopListening = queue.onLost((reason) => recovery.lost(reason));
  const recovered = await recovery.pass();
  if (recovered.calibrations > 0) logger.info(recovered, "resumed running calibrations from Postgres");
  const stopWatching =
    config.file.autoCalibrateAfter > 0 ? watchDueCalibrations(deps, logger, options.autoCheckMs ?? 60_000) : async () => {};
  const resumeEveryMs = options.resumeEveryMs ?? 300_000;
  const stopResuming = resumeEveryMs > 0 ? every(resumeEveryMs, () => recovery.pass(), logger, "calibration recovery pass failed") : async () => {};
  return {
    deps,
    workers,
    async close(timeoutMs = 10_000) {
      stopListening();
      await stopWatching();
      await stopResuming();
      await recovery.stop();
      const result = await workers.close(timeoutMs);
      await ownUpstreams?.close();
      return result;
    },
  };
}
