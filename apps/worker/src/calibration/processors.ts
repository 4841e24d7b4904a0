import { NonRetryableError } from "@proofgate/queue";
import { classifyError } from "../errors.ts";
import { defineProcessor, type AnyProcessor, type Processor } from "../processor.ts";
import { evaluateStep } from "./evaluate-step.ts";
import { judgeStep, replayStep, stopCalibration } from "./steps.ts";
import type { CalibrationDeps } from "./deps.ts";

type CalibrationQueue = "replay" | "judge" | "evaluate";

/**
 * A calibration step as a processor. A failure no retry will fix (a 401, a spend cap, a 400 on the
 * captured request), or the last attempt failing, stops the whole calibration with its reason: the
 * other jobs of the calibration then find it stopped and spend nothing more.
 */
function calibrationProcessor<N extends CalibrationQueue>(
  deps: CalibrationDeps,
  queue: N,
  step: (deps: CalibrationDeps, payload: Parameters<Processor<N>["handle"]>[0], signal: AbortSignal) => Promise<void>,
): Processor<N> {
  return defineProcessor(queue, async (payload, context) => {
    try {
      await step(deps, payload, context.signal);
    } catch (error) {
      const classified = classifyError(error);
      if (classified instanceof NonRetryableError || context.attempt >= context.maxAttempts) {
        const reason = `${queue} ${context.jobId} failed: ${classified.message}`;
        if (await stopCalibration(deps, payload.calibrationId, reason)) context.log.warn({ calibrationId: payload.calibrationId, reason }, "calibration stopped");
      }
      throw classified;
    }
  });
}

/** The processors of the calibration pipeline, bound to their dependencies. */
export function calibrationProcessors(deps: CalibrationDeps): AnyProcessor[] {
  const processors: { [N in CalibrationQueue]: Processor<N> } = {
    replay: calibrationProcessor(deps, "replay", replayStep),
    judge: calibrationProcessor(deps, "judge", judgeStep),
    evaluate: calibrationProcessor(deps, "evaluate", (d, p) => evaluateStep(d, p)),
  };
  return Object.values(processors) as AnyProcessor[];
}

