import type { CalibrationRow } from "@proofgate/db";

/** What the admin API may ask of a calibration: who starts it is the worker's code (apps/worker). */
export interface CalibrationStartInput {
  promptId: string;
  candidates?: string[] | undefined;
  maxPairs?: number | undefined;
  maxCostUsd?: number | undefined;
}

/** Starts a calibration; throws an error named CalibrationInputError when the request cannot be honoured. */
export type StartCalibrationFn = (input: CalibrationStartInput) => Promise<CalibrationRow>;

/**
 * Read when a request arrives, not when the app is built: the calibration workers may start after the
 * app exists, and a server that runs none answers 503.
 */
export type CalibrationStarter = () => StartCalibrationFn | undefined;
