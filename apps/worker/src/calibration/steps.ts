import { providerOf } from "@proofgate/config";
import {
  countBatchJudgments,
  finishCalibration,
  getCalibration,
  getCalibrationBatch,
  getJudgment,
  getReplay,
  getSampledCapture,
  insertJudgment,
  insertReplay,
  type CalibrationBatchRow,
  type CalibrationRow,
} from "@proofgate/db";
import { endpointSpecs, type Endpoint } from "@proofgate/providers";
import { REPLAY_HEADER } from "@proofgate/parity";
import { NonRetryableError, judgeJobId, replayJobId, type JudgePayload, type ReplayPayload } from "@proofgate/queue";
import { callModel } from "./model-call.ts";
import { replayRequest } from "./replay-request.ts";
import { forgetPaidReplies, scorePair, type CalibrationSetup } from "./pair-scoring.ts";
import { answerText, taskText } from "@proofgate/providers";
import type { CalibrationDeps } from "./deps.ts";

/** The calibration, if it is still running; a step for a finished or stopped one does nothing. */
export async function runningCalibration(deps: CalibrationDeps, id: string): Promise<CalibrationRow | undefined> {
  const calibration = await getCalibration(deps.db, id);
  return calibration?.status === "running" ? calibration : undefined;
}

async function sampledCapture(deps: CalibrationDeps, calibrationId: string, batchNo: number, sample: number) {
  const batch = await getCalibrationBatch(deps.db, calibrationId, batchNo);
  const sampled = batch?.captures[sample - batch.firstSample];
  const capture = sampled && (await getSampledCapture(deps.db, sampled));
  // The batch row is written before its jobs, and captures are never deleted while calibrated.
  if (!batch || !capture) throw new NonRetryableError(`sample ${sample} of batch ${batchNo} is missing from Postgres`);
  return { batch, capture };
}

/** Distinct, reproducible sample selector per pair and model role, from the calibration's seed. */
function replayIndex(seed: number, sample: number, role: "baseline" | "candidate"): string {
  return String(((seed % 1_000_003) * 1_009 + sample * 2 + (role === "baseline" ? 0 : 1)) >>> 0);
}

/**
 * Replays one captured request on one model: unchanged but for the model (and no stream), stored once
 * under the job's id. A replay already stored is not paid again; the judge job is (re-)enqueued either way.
 */
export async function replayStep(deps: CalibrationDeps, p: ReplayPayload, signal?: AbortSignal): Promise<void> {
  const calibration = await runningCalibration(deps, p.calibrationId);
  if (!calibration) return;
  const id = replayJobId(p);
  if (!(await getReplay(deps.db, id))) {
    const { capture } = await sampledCapture(deps, p.calibrationId, p.batch, p.sample);
    const endpoint = capture.endpoint as Endpoint;
    if (!endpointSpecs[endpoint]) throw new NonRetryableError(`capture ${capture.id} has an unknown endpoint ${capture.endpoint}`);
    const request = replayRequest(endpoint, capture.request, p.model, p.provider);
    const raw = await callModel(deps, {
      endpoint: request.endpoint,
      model: p.model,
      body: request.body,
      headers: { [REPLAY_HEADER]: replayIndex(calibration.seed, p.sample, p.role) },
      signal,
    });
    const answer = { ...raw, assembled: request.toCapturedWire(raw.assembled, p.model) };
    await insertReplay(deps.db, {
      id,
      calibrationId: p.calibrationId,
      captureId: p.captureId,
      sample: p.sample,
      batch: p.batch,
      model: p.model,
      role: p.role,
      provider: p.provider,
      status: answer.status,
      outputText: answerText(answer.assembled.outputText, answer.assembled.toolCalls),
      response: answer.assembled.response,
      inputTokens: answer.assembled.usage?.inputTokens ?? null,
      outputTokens: answer.assembled.usage?.outputTokens ?? null,
      costUsd: answer.costUsd,
      latencyMs: answer.latencyMs,
    });
  }
  await deps.queue.enqueue("judge", {
    calibrationId: p.calibrationId,
    captureId: p.captureId,
    sample: p.sample,
    batch: p.batch,
    model: p.model,
    judgeModel: calibration.baselineModel,
    judgeProvider: providerOf(deps.config, calibration.baselineModel),
  });
}

/** Pairs a batch needs judged before it can be evaluated: every capture, for every model replayed. */
export function judgmentsNeeded(batch: CalibrationBatchRow): number {
  return batch.captures.length * batch.models.length;
}

/**
 * Scores the captured output against one replay and stores the judgment once. The last judgment of a
 * batch enqueues its evaluation: each judge counts after its own write, so the last one sees them all.
 */
export async function judgeStep(deps: CalibrationDeps, p: JudgePayload, signal?: AbortSignal): Promise<void> {
  const calibration = await runningCalibration(deps, p.calibrationId);
  if (!calibration) return;
  const id = judgeJobId(p);
  const { batch, capture } = await sampledCapture(deps, p.calibrationId, p.batch, p.sample);
  if (!(await getJudgment(deps.db, id))) {
    const replay = await getReplay(deps.db, replayJobId(p));
    if (!replay) throw new NonRetryableError(`judge ${id} ran before its replay was stored`);
    const setup = calibration.setup as CalibrationSetup | null;
    if (!setup) throw new NonRetryableError(`calibration ${calibration.id} has no axis setup`);
    const result = await scorePair(deps, {
      calibrationId: calibration.id,
      key: id,
      setup,
      task: taskText(capture.request),
      reference: answerText(capture.outputText, capture.toolCalls),
      other: replay.outputText ?? "",
      judge: { provider: p.judgeProvider, model: p.judgeModel, replayIndex: replayIndex(calibration.seed, p.sample, p.model === calibration.baselineModel ? "baseline" : "candidate") },
      redact: [calibration.baselineModel, ...calibration.candidates],
      signal,
    });
    await insertJudgment(deps.db, {
      id,
      calibrationId: p.calibrationId,
      captureId: p.captureId,
      sample: p.sample,
      batch: p.batch,
      model: p.model,
      judgeModel: p.judgeModel,
      scores: result.scores,
      details: result.details,
      judgeCalls: result.judgeCalls,
      costUsd: result.costUsd,
    });
    forgetPaidReplies(id);
  }
  if ((await countBatchJudgments(deps.db, p.calibrationId, p.batch)) >= judgmentsNeeded(batch)) {
    await deps.queue.enqueue("evaluate", { calibrationId: p.calibrationId, batch: p.batch });
  }
}

/** Ends a calibration on a failure that no retry will fix, with the reason shown to the reviewer. */
export async function stopCalibration(deps: CalibrationDeps, calibrationId: string, reason: string): Promise<boolean> {
  return finishCalibration(deps.db, calibrationId, { status: "stopped", stopReason: reason });
}
