import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { QueueName } from "./names.ts";
import { parsePayload } from "./payloads.ts";
import { jobIdFor } from "./job-ids.ts";
import { NonRetryableError } from "./errors.ts";
import { createJobLimiters, limitDelayMs } from "./job-limits.ts";
import { resolveQueueConfigs, retryDelayMs, type QueueConfig, type QueueConfigOverrides, type QueueConfigs } from "./config.ts";
import { redisLimiter } from "./rate-limit.ts";
import { LossWatch } from "./loss-watch.ts";
import type { JobPayloads } from "./payloads.ts";
import type { EnqueueOptions, EnqueueResult, JobCounts, JobHandler, JobInfo, JobState, QueueDriver, QueueWorker } from "./driver.ts";

export interface BullmqDriverOptions {
  url: string;
  /** Key prefix of every queue; tests use one per file so they never touch each other's keys. */
  prefix?: string;
  config?: QueueConfigOverrides;
  /**
   * How fast a crashed worker's job is noticed: its lock expires after `lockDurationMs` and the stalled
   * check, every `stalledIntervalMs`, moves it back to waiting. BullMQ's 30 s defaults suit production.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Connection trouble reported by BullMQ; ioredis reconnects by itself, so this is for logging. */
  onError?: (error: Error) => void;
  /**
   * While someone listens to `onLost`, how often the marker key is looked for (default 2 s: one SET NX),
   * besides after every reconnect and queue error.
   */
  lossCheckMs?: number;
}

// A backoff type of our own, so BullMQ hands the thrown error to the strategy and retry-after is honoured.
const backoffType = "proofgate";

export class BullmqDriver implements QueueDriver {
  readonly kind = "bullmq" as const;
  readonly prefix: string;
  readonly configs: QueueConfigs;
  readonly #options: BullmqDriverOptions;
  readonly #redis: Redis;
  readonly #queues = new Map<QueueName, Queue>();
  readonly #workers = new Set<Worker>();
  readonly #lostListeners = new Set<(reason: string) => void>();
  #lossWatch: LossWatch | undefined;

  constructor(options: BullmqDriverOptions) {
    this.#options = options;
    this.prefix = options.prefix ?? "proofgate";
    this.configs = resolveQueueConfigs(options.config);
    // BullMQ needs commands to wait for a reconnect rather than fail, hence maxRetriesPerRequest: null.
    this.#redis = new Redis(options.url, { maxRetriesPerRequest: null });
  }

  #queue(name: QueueName): Queue {
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.#redis, prefix: this.prefix });
      // An 'error' event without a listener would crash the process over a transient reconnect.
      queue.on("error", (error) => this.#queueError(error));
      this.#queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<N extends QueueName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const data = parsePayload(name, payload);
    const jobId = jobIdFor(name, data);
    const config = this.configs[name];
    const queue = this.#queue(name);
    if (options.repair) {
      const existing = await queue.getJob(jobId);
      if (existing && (await existing.getState()) === "unknown") await existing.remove();
    }
    await queue.add(name, data, {
      jobId,
      attempts: config.attempts,
      backoff: { type: backoffType, delay: config.backoff.delayMs },
      removeOnComplete: { age: config.removeOnComplete.ageSeconds, count: config.removeOnComplete.count },
      removeOnFail: { age: config.removeOnFail.ageSeconds, count: config.removeOnFail.count },
      ...(options.delayMs ? { delay: options.delayMs } : {}),
    });
    return { jobId };
  }

  work<N extends QueueName>(name: N, handler: JobHandler): QueueWorker {
    const config: QueueConfig<N> = this.configs[name];
    let active = 0;
    const limiters = createJobLimiters(config as QueueConfig, (scope, limit) =>
      redisLimiter(this.#redis, `${this.prefix}:limit:${name}:${scope}`, limit.max, limit.durationSeconds),
    );

    const process = async (job: Job, token: string | undefined, signal?: AbortSignal): Promise<unknown> => {
      const waitMs = await limitDelayMs(name, config, limiters, job.data);
      if (waitMs > 0) {
        // Parked without spending an attempt: being rate-limited is not a failure of the job.
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
      const context = {
        queue: name,
        jobId: job.id ?? "",
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
        signal: signal ?? new AbortController().signal,
      };
      active += 1;
      try {
        return await handler(job.data, context);
      } catch (error) {
        if (error instanceof NonRetryableError) throw new UnrecoverableError(error.message);
        throw error;
      } finally {
        active -= 1;
      }
    };

    const worker = new Worker(name, process, {
      connection: this.#redis,
      prefix: this.prefix,
      concurrency: config.concurrency,
      ...(config.limiter ? { limiter: { max: config.limiter.max, duration: config.limiter.durationMs } } : {}),
      settings: { backoffStrategy: (attemptsMade, _type, error) => retryDelayMs(attemptsMade, config.backoff, error) },
      ...(this.#options.lockDurationMs ? { lockDuration: this.#options.lockDurationMs } : {}),
      ...(this.#options.stalledIntervalMs ? { stalledInterval: this.#options.stalledIntervalMs } : {}),
    });
    worker.on("error", (error) => this.#queueError(error));
    this.#workers.add(worker);

    return {
      queue: name,
      stop: async (timeoutMs) => {
        const closed = worker.close().then(() => "closed" as const);
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
        const outcome = await Promise.race([closed, timedOut]);
        clearTimeout(timer);
        this.#workers.delete(worker);
        if (outcome === "closed") return { abandoned: 0 };
        // Still running: abort them; if the process exits, their locks expire and another worker's stalled
        // check takes the jobs back, so nothing is lost.
        const abandoned = active;
        worker.cancelAllJobs("shutdown timeout");
        return { abandoned };
      },
    };
  }

  async getJob(name: QueueName, jobId: string): Promise<JobInfo | undefined> {
    const job = await this.#queue(name).getJob(jobId);
    if (!job) return undefined;
    const raw = await job.getState();
    // A remnant in no state list is not a job anything will run (see EnqueueOptions.repair).
    if (raw === "unknown") return undefined;
    const state: JobState = raw === "prioritized" || raw === "waiting-children" ? "waiting" : (raw as JobState);
    return { id: jobId, state, attemptsMade: job.attemptsMade, failedReason: job.failedReason || undefined };
  }

  async counts(name: QueueName): Promise<JobCounts> {
    const c = await this.#queue(name).getJobCounts("waiting", "prioritized", "delayed", "active", "completed", "failed");
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      delayed: c.delayed ?? 0,
      active: c.active ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  onLost(listener: (reason: string) => void): () => void {
    this.#lostListeners.add(listener);
    // Watched only while listened to, so a driver that only enqueues (a CLI, a test) costs no commands.
    this.#lossWatch ??= new LossWatch({
      redis: this.#redis,
      key: `${this.prefix}:loss-marker`,
      everyMs: this.#options.lossCheckMs ?? 2_000,
      onLost: (reason) => {
        for (const l of this.#lostListeners) l(reason);
      },
      onError: (error) => this.#options.onError?.(error),
    }).start();
    return () => {
      this.#lostListeners.delete(listener);
      if (this.#lostListeners.size > 0) return;
      this.#lossWatch?.stop();
      this.#lossWatch = undefined;
    };
  }

  // A job whose keys vanished under a running worker surfaces here first ("Missing key for job ..."), so an
  // error is also a reason to look for the marker now rather than at the next tick.
  #queueError(error: Error): void {
    this.#options.onError?.(error);
    this.#lossWatch?.check("the queue's marker key was gone after a queue error");
  }

  async close(): Promise<void> {
    this.#lossWatch?.stop();
    this.#lossWatch = undefined;
    await Promise.all([...this.#workers].map((w) => w.close(true)));
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
