import type { Logger } from "pino";
import { listPromptsDueForCalibration } from "@proofgate/db";
import { CalibrationInputError, startCalibration } from "./open-batch.ts";
import type { CalibrationDeps } from "./deps.ts";

/**
 * Starts a calibration for every prompt that has gathered `autoCalibrateAfter` captures and was never
 * calibrated, if its baseline has candidates configured. Several workers may run this at once: the
 * one-running-calibration-per-prompt index lets exactly one of them start it.
 */
export async function startDueCalibrations(deps: CalibrationDeps, logger: Logger): Promise<string[]> {
  const threshold = deps.config.autoCalibrateAfter;
  if (threshold <= 0) return [];
  const started: string[] = [];
  for (const prompt of await listPromptsDueForCalibration(deps.db, threshold)) {
    if (!deps.config.candidates[prompt.model]?.length) continue;
    try {
      const calibration = await startCalibration(deps, { promptId: prompt.id });
      started.push(calibration.id);
      logger.info({ promptId: prompt.id, calibrationId: calibration.id, captures: prompt.captureCount }, "calibration started automatically");
    } catch (error) {
      if (!(error instanceof CalibrationInputError)) throw error;
    }
  }
  return started;
}

/**
 * Runs `task` every `everyMs`, one run at a time, until the returned stop is awaited; a failed run is
 * logged and tried again at the next tick. The timer does not keep the process alive.
 */
export function every(everyMs: number, task: () => Promise<unknown>, logger: Logger, failure: string): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(task).catch((error: unknown) => logger.warn({ err: { message: (error as Error).message } }, failure));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** Looks for prompts due for a calibration every `everyMs` until stopped. */
export function watchDueCalibrations(deps: CalibrationDeps, logger: Logger, everyMs: number): () => Promise<void> {
  return every(everyMs, () => startDueCalibrations(deps, logger), logger, "automatic calibration check failed");
}
