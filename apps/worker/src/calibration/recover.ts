import { providerOf } from "@proofgate/config";
import { listBatchJudgments, listBatchReplays, listCalibrationBatches, listRunningCalibrations } from "@proofgate/db";
import { judgeJobId, replayJobId } from "@proofgate/queue";
import { enqueueBatchReplays, ensureSetup, openBatch } from "./open-batch.ts";
import { judgmentsNeeded } from "./steps.ts";
import type { CalibrationDeps } from "./deps.ts";

export interface RecoveryResult {
  calibrations: number;
  enqueued: number;
}

/**
 * Re-derives the queue from Postgres: for every running calibration, the work its latest batch still
 * lacks (a replay not stored, a judgment not stored, an evaluation not made) is enqueued under its
 * deterministic id. Run at start (the in-process queue starts empty) and after Redis lost its data;
 * jobs that still exist are not duplicated, and stored results are never redone.
 */
// Recovery runs after a loss, so remnants of lost jobs are cleared rather than trusted (EnqueueOptions.repair).
const repair = { repair: true };

export async function resumeCalibrations(deps: CalibrationDeps): Promise<RecoveryResult> {
  const running = await listRunningCalibrations(deps.db);
  let enqueued = 0;
  for (const calibration of running) {
    const batches = await listCalibrationBatches(deps.db, calibration.id);
    let last = batches.at(-1);
    if (!last) {
      // Stopped between creating the row and storing its first sample.
      last = await openBatch(deps, calibration, 0, [calibration.baselineModel, ...calibration.candidates]);
      if (!last) continue;
    }
    const first = batches[0] ?? last;
    await ensureSetup(deps, calibration, first);
    if (last.status === "evaluated") {
      await deps.queue.enqueue("evaluate", { calibrationId: calibration.id, batch: last.batch }, repair);
      enqueued += 1;
      continue;
    }
    const replays = new Set((await listBatchReplays(deps.db, calibration.id, last.batch)).map((r) => r.id));
    const judged = await listBatchJudgments(deps.db, calibration.id, last.batch);
    const judgments = new Set(judged.map((j) => j.id));
    if (judged.length >= judgmentsNeeded(last)) {
      await deps.queue.enqueue("evaluate", { calibrationId: calibration.id, batch: last.batch }, repair);
      enqueued += 1;
      continue;
    }
    for (const [i, capture] of last.captures.entries()) {
      for (const model of last.models) {
        const ids = { calibrationId: calibration.id, captureId: capture.captureId, model, sample: last.firstSample + i };
        if (!replays.has(replayJobId(ids))) continue;
        if (judgments.has(judgeJobId(ids))) continue;
        await deps.queue.enqueue("judge", {
          ...ids,
          batch: last.batch,
          judgeModel: calibration.baselineModel,
          judgeProvider: providerOf(deps.config, calibration.baselineModel),
        }, repair);
        enqueued += 1;
      }
    }
    // Replays not stored yet: the whole batch is re-enqueued, and ids skip the ones that still exist.
    await enqueueBatchReplays(deps, calibration, last, repair);
    enqueued += last.captures.length * last.models.length - replays.size;
  }
  return { calibrations: running.length, enqueued };
}
