export { QueueName, queueNames, isQueueName } from "./names.ts";
export {
  payloadSchemas,
  parsePayload,
  replayPayload,
  judgePayload,
  evaluatePayload,
  shadowPayload,
} from "./payloads.ts";
export type { JobPayloads, ReplayPayload, JudgePayload, EvaluatePayload, ShadowPayload } from "./payloads.ts";
export { jobIdFor, replayJobId, judgeJobId, evaluateJobId, shadowJobId } from "./job-ids.ts";
export { RetryableError, NonRetryableError, retryAfterOf } from "./errors.ts";
export { defaultQueueConfigs, resolveQueueConfigs, retryDelayMs, groupKeyOf } from "./config.ts";
export type { Backoff, Retention, RateLimit, GroupLimit, QueueConfig, QueueConfigs, QueueConfigOverrides } from "./config.ts";
export type {
  QueueDriver,
  QueueWorker,
  JobHandler,
  JobContext,
  JobInfo,
  JobState,
  JobCounts,
  EnqueueOptions,
  EnqueueResult,
  StopResult,
} from "./driver.ts";
export { BullmqDriver, type BullmqDriverOptions } from "./bullmq-driver.ts";
export { InProcessDriver, type InProcessDriverOptions } from "./in-process-driver.ts";
export { createQueueDriver, type CreateQueueDriverOptions } from "./create-driver.ts";
