export { captures, type CaptureRow } from "./captures.ts";
export { clientKeys, type ClientKeyRow } from "./client-keys.ts";
export { prompts, type PromptRow } from "./prompts.ts";
export { calibrations, type CalibrationRow, type NewCalibration, type CalibrationMargins } from "./calibrations.ts";
export { calibrationBatches, type CalibrationBatchRow, type SampledCapture } from "./calibration-batches.ts";
export { replays, type ReplayRow, type NewReplay } from "./calibration-replays.ts";
export { judgments, type JudgmentRow, type NewJudgment, type AxisScores } from "./calibration-judgments.ts";
