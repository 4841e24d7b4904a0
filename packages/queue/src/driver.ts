import type { QueueName } from "./names.ts";
import type { JobPayloads } from "./payloads.ts";

export interface EnqueueOptions {
  /** Hold the job back this long before it may start (the next calibration batch, a cool-down). */
  delayMs?: number;
  /**
   * For recovery passes: when the id survives only as a stateless remnant (Redis lost part of the queue:
   * a flush racing a write, an eviction), remove it so the job is added again instead of deduped forever.
   */
  repair?: boolean;
}

export interface EnqueueResult {
  jobId: string;
}

/** What a handler learns about the job it runs. */
export interface JobContext {
  queue: QueueName;
  jobId: string;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  maxAttempts: number;
  /** Aborted when shutdown gives up waiting: a handler that honours it stops cleanly. */
  signal: AbortSignal;
}

/** Receives raw job data: validating it is the processor's job, since it may predate a schema change. */
export type JobHandler = (data: unknown, context: JobContext) => Promise<unknown>;

export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed";

export interface JobInfo {
  id: string;
  state: JobState;
  /** Finished attempts (failed ones, plus the successful one when completed). */
  attemptsMade: number;
  failedReason?: string | undefined;
}

export type JobCounts = Record<JobState, number>;

export interface StopResult {
  /** Jobs still running when the timeout ran out; they are recovered elsewhere (see docs/calibration.md). */
  abandoned: number;
}

export interface QueueWorker {
  readonly queue: QueueName;
  /** Stop taking jobs, wait up to `timeoutMs` for the running ones, then abort what is left. */
  stop(timeoutMs: number): Promise<StopResult>;
}

/** One interface, two drivers: BullMQ on Redis, and an in-process one for the single-process mode. */
export interface QueueDriver {
  readonly kind: "bullmq" | "in-process";
  /** Validates the payload and adds the job under its deterministic id; an existing id adds nothing. */
  enqueue<N extends QueueName>(name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Starts consuming a queue with the queue's configured concurrency and limits. */
  work(name: QueueName, handler: JobHandler): QueueWorker;
  getJob(name: QueueName, jobId: string): Promise<JobInfo | undefined>;
  counts(name: QueueName): Promise<JobCounts>;
  /**
   * Calls `listener` as soon as the queue's store is seen to have lost its contents (a Redis restarted
   * without persistence, flushed, or failed over to an empty replica), so the caller re-derives the work
   * from Postgres at once. Returns the unsubscribe. The in-process driver never calls it: its jobs live
   * and die with the process that would hear of the loss.
   */
  onLost(listener: (reason: string) => void): () => void;
  /** Releases connections and timers; stop the workers first (startWorkers does, in that order). */
  close(): Promise<void>;
}
