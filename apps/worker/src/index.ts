export { startWorkers, type StartWorkersOptions, type RunningWorkers, type CloseResult } from "./start-workers.ts";
export { defineProcessor, toJobHandler, type Processor, type AnyProcessor, type ProcessorContext } from "./processor.ts";
export { classifyError, httpFailureError, retryAfterMsFrom, type HttpFailure } from "./errors.ts";
export { calibrationProcessors } from "./calibration/processors.ts";
export { startCalibration, CalibrationInputError, type StartCalibrationInput } from "./calibration/open-batch.ts";
export { resumeCalibrations, type RecoveryResult } from "./calibration/recover.ts";
export type { CalibrationDeps } from "./calibration/deps.ts";
export { startCalibrationRuntime, type CalibrationRuntime, type CalibrationRuntimeOptions } from "./runtime.ts";
export { startDueCalibrations } from "./calibration/auto-start.ts";
