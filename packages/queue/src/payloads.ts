import { z } from "zod";
import { QueueName } from "./names.ts";

// Payloads carry identifiers only: every fact a processor needs is re-read from Postgres, so a job can be
// dropped and re-derived at any time (a lost Redis, a crashed in-process worker) without losing anything.

const id = z.string().min(1).max(200);
const provider = z.enum(["openai", "anthropic"]);
const sample = z.int().min(0);
const batch = z.int().min(0);

/** Re-send one captured request to one model (the baseline again, or a candidate). */
export const replayPayload = z.object({
  calibrationId: id,
  captureId: id,
  /** Position of the capture in the calibration's sample: pairs are indexed by it. */
  sample,
  batch,
  model: id,
  provider,
  role: z.enum(["baseline", "candidate"]),
});

/** Compare the captured output with one replay of it, on every axis that needs a judge. */
export const judgePayload = z.object({
  calibrationId: id,
  captureId: id,
  sample,
  batch,
  /** The model whose replay is judged against the captured output. */
  model: id,
  judgeModel: id,
  judgeProvider: provider,
});

/** Fold a finished batch into the sequential test and decide: pass, fail, inconclusive or next batch. */
export const evaluatePayload = z.object({
  calibrationId: id,
  batch,
});

/** Replay one candidate-served request on the baseline to feed the drift watch (reserved for routing). */
export const shadowPayload = z.object({
  promptId: id,
  captureId: id,
  baselineModel: id,
  candidateModel: id,
  provider,
});

export const payloadSchemas = {
  [QueueName.replay]: replayPayload,
  [QueueName.judge]: judgePayload,
  [QueueName.evaluate]: evaluatePayload,
  [QueueName.shadow]: shadowPayload,
} as const satisfies Record<QueueName, z.ZodType>;

export type ReplayPayload = z.infer<typeof replayPayload>;
export type JudgePayload = z.infer<typeof judgePayload>;
export type EvaluatePayload = z.infer<typeof evaluatePayload>;
export type ShadowPayload = z.infer<typeof shadowPayload>;

/** Queue name to payload type: what `enqueue` accepts and what a processor receives once validated. */
export type JobPayloads = { [N in QueueName]: z.infer<(typeof payloadSchemas)[N]> };

export function parsePayload<N extends QueueName>(name: N, data: unknown): JobPayloads[N] {
  return payloadSchemas[name].parse(data) as JobPayloads[N];
}
