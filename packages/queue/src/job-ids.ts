import type { QueueName } from "./names.ts";
import type { EvaluatePayload, JobPayloads, JudgePayload, ReplayPayload, ShadowPayload } from "./payloads.ts";

// A job id names the work, not the attempt: enqueuing the same replay twice (a retried evaluate, a recovery
// pass re-deriving work from Postgres) finds the existing job and adds nothing, so no provider call is paid
// twice. Parts are URI-encoded and joined with "/", which encoding never emits, so ids cannot collide; the
// encoding also removes ":", which BullMQ reserves in custom ids.
function jobId(queue: QueueName, ...parts: Array<string | number>): string {
  return [queue, ...parts.map((p) => encodeURIComponent(String(p)))].join("/");
}

export function replayJobId(p: Pick<ReplayPayload, "calibrationId" | "captureId" | "model" | "sample">): string {
  return jobId("replay", p.calibrationId, p.captureId, p.model, p.sample);
}

export function judgeJobId(p: Pick<JudgePayload, "calibrationId" | "captureId" | "model" | "sample">): string {
  return jobId("judge", p.calibrationId, p.captureId, p.model, p.sample);
}

export function evaluateJobId(p: Pick<EvaluatePayload, "calibrationId" | "batch">): string {
  return jobId("evaluate", p.calibrationId, p.batch);
}

export function shadowJobId(p: Pick<ShadowPayload, "captureId" | "candidateModel">): string {
  return jobId("shadow", p.captureId, p.candidateModel);
}

const byQueue: { [N in QueueName]: (payload: JobPayloads[N]) => string } = {
  replay: replayJobId,
  judge: judgeJobId,
  evaluate: evaluateJobId,
  shadow: shadowJobId,
};

/** The deterministic id of a job: the only id `enqueue` ever uses. */
export function jobIdFor<N extends QueueName>(name: N, payload: JobPayloads[N]): string {
  return byQueue[name](payload);
}
