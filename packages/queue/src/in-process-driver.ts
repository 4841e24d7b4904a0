import type { QueueName } from "./names.ts";
import { parsePayload, type JobPayloads } from "./payloads.ts";
import { jobIdFor } from "./job-ids.ts";
import { NonRetryableError } from "./errors.ts";
import { createJobLimiters, limitDelayMs, type JobLimiters } from "./job-limits.ts";
import { resolveQueueConfigs, retryDelayMs, type QueueConfig, type QueueConfigOverrides, type QueueConfigs } from "./config.ts";
import { memoryLimiter, type WindowLimiter } from "./rate-limit.ts";
import type { EnqueueOptions, EnqueueResult, JobCounts, JobHandler, JobInfo, JobState, QueueDriver, QueueWorker } from "./driver.ts";

// The single-process mode (`pnpm start`, no REDIS_URL) needs a queue with BullMQ's semantics but no
// server. No maintained library offers that contract (in-memory queues lack job-id dedupe, retry-after
// aware backoff and per-group limits together), so this driver is necessarily our own; the counting of
// rate-limit windows is still delegated to rate-limiter-flexible. Its state lives only in memory: what a
// crash loses is re-derived from Postgres, the source of truth (docs/calibration.md, "Recovery").

export interface InProcessDriverOptions {
  config?: QueueConfigOverrides;
}

interface MemoryJob {
  id: string;
  data: unknown;
  state: JobState;
  attemptsMade: number;
  maxAttempts: number;
  failedReason?: string;
  timer?: NodeJS.Timeout;
}

interface MemoryQueue {
  name: QueueName;
  config: QueueConfig;
  jobs: Map<string, MemoryJob>;
  waiting: MemoryJob[];
  /** Finished job ids in finishing order, pruned by the retention settings. */
  finished: { completed: Array<[string, number]>; failed: Array<[string, number]> };
  handler?: JobHandler | undefined;
  running: boolean;
  pumping: boolean;
  pumpTimer?: NodeJS.Timeout | undefined;
  active: Map<string, { abort: AbortController; done: Promise<void> }>;
  limiter?: WindowLimiter | undefined;
  limits: JobLimiters;
}

export class InProcessDriver implements QueueDriver {
  readonly kind = "in-process" as const;
  readonly configs: QueueConfigs;
  readonly #queues = new Map<QueueName, MemoryQueue>();
  #closed = false;

  constructor(options: InProcessDriverOptions = {}) {
    this.configs = resolveQueueConfigs(options.config);
  }

  #queue(name: QueueName): MemoryQueue {
    let queue = this.#queues.get(name);
    if (!queue) {
      const config = this.configs[name] as QueueConfig;
      queue = {
        name,
        config,
        jobs: new Map(),
        waiting: [],
        finished: { completed: [], failed: [] },
        running: false,
        pumping: false,
        active: new Map(),
        limiter: config.limiter ? memoryLimiter(config.limiter.max, config.limiter.durationMs / 1000) : undefined,
        limits: createJobLimiters(config, (_scope, limit) => memoryLimiter(limit.max, limit.durationSeconds)),
      };
      this.#queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<N extends QueueName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<EnqueueResult> {
    if (this.#closed) throw new Error("queue driver is closed");
    const data = parsePayload(name, payload);
    const id = jobIdFor(name, data);
    const queue = this.#queue(name);
    if (queue.jobs.has(id)) return { jobId: id };
    const job: MemoryJob = { id, data, state: "waiting", attemptsMade: 0, maxAttempts: queue.config.attempts };
    queue.jobs.set(id, job);
    if (options.delayMs && options.delayMs > 0) this.#delay(queue, job, options.delayMs);
    else this.#makeReady(queue, job);
    return { jobId: id };
  }

  work(name: QueueName, handler: JobHandler): QueueWorker {
    const queue = this.#queue(name);
    if (queue.running) throw new Error(`queue ${name} already has a worker in this process`);
    queue.handler = handler;
    queue.running = true;
    this.#pump(queue);
    return { queue: name, stop: (timeoutMs) => this.#stop(queue, timeoutMs) };
  }

  async #stop(queue: MemoryQueue, timeoutMs: number) {
    queue.running = false;
    clearTimeout(queue.pumpTimer);
    const active = [...queue.active.values()];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
    const outcome = await Promise.race([Promise.all(active.map((a) => a.done)).then(() => "done" as const), timedOut]);
    clearTimeout(timer);
    if (outcome === "done") return { abandoned: 0 };
    const left = [...queue.active.values()];
    for (const a of left) a.abort.abort(new Error("shutdown timeout"));
    return { abandoned: left.length };
  }

  #makeReady(queue: MemoryQueue, job: MemoryJob) {
    job.state = "waiting";
    queue.waiting.push(job);
    this.#pump(queue);
  }

  #delay(queue: MemoryQueue, job: MemoryJob, ms: number) {
    job.state = "delayed";
    // A job abandoned at shutdown may fail after close: it stays delayed, with no timer left behind.
    if (this.#closed) return;
    job.timer = setTimeout(() => {
      job.timer = undefined;
      this.#makeReady(queue, job);
    }, ms);
  }

  /** Starts waiting jobs up to the concurrency, pausing when the queue-wide limiter says so. */
  #pump(queue: MemoryQueue) {
    if (queue.pumping || !queue.running || this.#closed) return;
    queue.pumping = true;
    void (async () => {
      try {
        while (queue.running && !this.#closed && queue.active.size < queue.config.concurrency && queue.waiting.length > 0) {
          const waitMs = queue.limiter ? await queue.limiter.take("queue") : 0;
          if (waitMs > 0) {
            clearTimeout(queue.pumpTimer);
            queue.pumpTimer = setTimeout(() => this.#pump(queue), waitMs);
            return;
          }
          const job = queue.waiting.shift();
          if (job) this.#run(queue, job);
        }
      } finally {
        queue.pumping = false;
      }
    })();
  }

  #run(queue: MemoryQueue, job: MemoryJob) {
    const handler = queue.handler;
    if (!handler) return;
    job.state = "active";
    const abort = new AbortController();
    const done = (async () => {
      const waitMs = await limitDelayMs(queue.name, queue.config, queue.limits, job.data);
      // Parked without spending an attempt, as the BullMQ driver does.
      if (waitMs > 0) return this.#delay(queue, job, waitMs);
      const context = { queue: queue.name, jobId: job.id, attempt: job.attemptsMade + 1, maxAttempts: job.maxAttempts, signal: abort.signal };
      try {
        await handler(job.data, context);
        job.attemptsMade += 1;
        this.#finish(queue, job, "completed");
      } catch (error) {
        job.attemptsMade += 1;
        if (error instanceof NonRetryableError || job.attemptsMade >= job.maxAttempts) {
          job.failedReason = error instanceof Error ? error.message : String(error);
          this.#finish(queue, job, "failed");
        } else {
          this.#delay(queue, job, retryDelayMs(job.attemptsMade, queue.config.backoff, error));
        }
      }
    })().finally(() => {
      queue.active.delete(job.id);
      this.#pump(queue);
    });
    queue.active.set(job.id, { abort, done });
  }

  #finish(queue: MemoryQueue, job: MemoryJob, state: "completed" | "failed") {
    job.state = state;
    const now = Date.now();
    const list = queue.finished[state];
    list.push([job.id, now]);
    const retention = state === "completed" ? queue.config.removeOnComplete : queue.config.removeOnFail;
    const oldest = now - retention.ageSeconds * 1000;
    while (list.length > 0) {
      const [id, at] = list[0] as [string, number];
      if (at >= oldest && (retention.count === undefined || list.length <= retention.count)) break;
      list.shift();
      queue.jobs.delete(id);
    }
  }

  async getJob(name: QueueName, jobId: string): Promise<JobInfo | undefined> {
    const job = this.#queue(name).jobs.get(jobId);
    return job && { id: job.id, state: job.state, attemptsMade: job.attemptsMade, failedReason: job.failedReason };
  }

  async counts(name: QueueName): Promise<JobCounts> {
    const counts: JobCounts = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 };
    for (const job of this.#queue(name).jobs.values()) counts[job.state] += 1;
    return counts;
  }

  onLost(_listener: (reason: string) => void): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const queue of this.#queues.values()) {
      queue.running = false;
      clearTimeout(queue.pumpTimer);
      for (const job of queue.jobs.values()) clearTimeout(job.timer);
    }
  }
}
