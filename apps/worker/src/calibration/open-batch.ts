import { randomUUID } from "node:crypto";
import { providerOf } from "@proofgate/config";
import {
  finishCalibration,
  getCalibration,
  getPrompt,
  getSampledCapture,
  insertCalibration,
  insertCalibrationBatch,
  sampleCaptures,
  setCalibrationSetup,
  type CalibrationBatchRow,
  type CalibrationRow,
} from "@proofgate/db";
import { answerText } from "@proofgate/providers";
import { inferSetup } from "./pair-scoring.ts";
import type { CalibrationDeps } from "./deps.ts";

export interface StartCalibrationInput {
  promptId: string;
  /** Default: the config's candidates for the prompt's baseline model. */
  candidates?: string[] | undefined;
  maxPairs?: number | undefined;
  maxCostUsd?: number | undefined;
  batchSize?: number | undefined;
  seed?: number | undefined;
}

/** A request to calibrate that cannot be honoured as asked (unknown prompt, no candidate, one running). */
export class CalibrationInputError extends Error {
  override name = "CalibrationInputError";
}

/** Postgres's unique_violation, through whatever wrapping the driver and drizzle add. */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e !== null && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

/**
 * Creates a calibration and opens its first batch. Everything is in Postgres before the first job is
 * enqueued, so a crash right after this call loses nothing: the recovery pass enqueues the same jobs.
 */
export async function startCalibration(deps: CalibrationDeps, input: StartCalibrationInput): Promise<CalibrationRow> {
  const prompt = await getPrompt(deps.db, input.promptId);
  if (!prompt) throw new CalibrationInputError(`unknown prompt ${input.promptId}`);
  const baseline = prompt.model;
  const candidates = [...new Set(input.candidates ?? deps.config.candidates[baseline] ?? [])].filter((m) => m !== baseline);
  if (candidates.length === 0) throw new CalibrationInputError(`no candidate configured for ${baseline}`);
  const budgets = deps.config.budgets;
  const calibration = await insertCalibration(deps.db, {
    id: randomUUID(),
    promptId: prompt.id,
    baselineModel: baseline,
    candidates,
    maxPairs: input.maxPairs ?? budgets.maxPairs,
    maxCostUsd: input.maxCostUsd ?? budgets.maxCostUsd,
    batchSize: input.batchSize ?? budgets.batchSize,
    alpha: deps.config.alpha,
    margins: deps.config.margins,
    seed: input.seed ?? Math.floor(Math.random() * 2 ** 31),
  }).catch((error: unknown) => {
    if (isUniqueViolation(error)) throw new CalibrationInputError(`a calibration of prompt ${prompt.id} is already running`);
    throw error;
  });
  const first = await openBatch(deps, calibration, 0, [baseline, ...candidates]);
  if (!first) {
    await finishCalibration(deps.db, calibration.id, { status: "stopped", stopReason: "the prompt has no usable baseline capture to replay" });
    return (await getCalibration(deps.db, calibration.id)) ?? calibration;
  }
  await ensureSetup(deps, calibration, first);
  await enqueueBatchReplays(deps, calibration, first);
  return calibration;
}

/** Infers the axes' setup from the first batch's captured outputs, once (a second call keeps the first). */
export async function ensureSetup(deps: CalibrationDeps, calibration: CalibrationRow, first: CalibrationBatchRow): Promise<void> {
  if (calibration.setup) return;
  const outputs = await Promise.all(
    first.captures.map(async (c) => {
      const row = await getSampledCapture(deps.db, c);
      return row ? answerText(row.outputText, row.toolCalls) : "";
    }),
  );
  calibration.setup = await setCalibrationSetup(deps.db, calibration.id, inferSetup(outputs));
}

/** Samples and stores batch `batch` (or finds it already stored); undefined when no capture is left. */
export async function openBatch(
  deps: CalibrationDeps,
  calibration: CalibrationRow,
  batch: number,
  models: string[],
  pairsSoFar = 0,
  /** At most this many pairs (what the money budget still affords). */
  limit = Infinity,
): Promise<CalibrationBatchRow | undefined> {
  const count = Math.min(calibration.batchSize, calibration.maxPairs - pairsSoFar, limit);
  if (count <= 0) return undefined;
  const sampled = await sampleCaptures(deps.db, {
    calibrationId: calibration.id,
    promptId: calibration.promptId,
    baselineModel: calibration.baselineModel,
    seed: calibration.seed,
    count,
  });
  if (sampled.length === 0) return undefined;
  return insertCalibrationBatch(deps.db, { calibrationId: calibration.id, batch, firstSample: pairsSoFar, captures: sampled, models });
}

/** Enqueues a replay per capture and model of the batch; ids make a second call add nothing. */
export async function enqueueBatchReplays(
  deps: CalibrationDeps,
  calibration: CalibrationRow,
  batch: CalibrationBatchRow,
  options: { repair?: boolean } = {},
): Promise<void> {
  for (const [i, capture] of batch.captures.entries()) {
    for (const model of batch.models) {
      await deps.queue.enqueue("replay", {
        calibrationId: calibration.id,
        captureId: capture.captureId,
        sample: batch.firstSample + i,
        batch: batch.batch,
        model,
        provider: providerOf(deps.config, model),
        role: model === calibration.baselineModel ? "baseline" : "candidate",
      }, options);
    }
  }
}
