import type { QueueName } from "./names.ts";
import { payloadSchemas, type JobPayloads } from "./payloads.ts";
import { retryAfterOf } from "./errors.ts";

export interface Backoff {
  /** First retry waits this long; each further one doubles it. */
  delayMs: number;
  /** Ceiling of the exponential part; a provider's retry-after may still ask for longer and is honoured. */
  maxDelayMs: number;
}

/** How long a finished job is kept. A kept job still dedupes its id, so this is also the dedupe window. */
export interface Retention {
  ageSeconds: number;
  count?: number;
}

/** At most `max` jobs of the queue start per `durationMs`, across every worker. */
export interface RateLimit {
  max: number;
  durationMs: number;
}

/** At most `max` jobs of one group (provider/model) start per window; whole seconds, as Redis expiries are. */
export interface GroupLimit {
  max: number;
  durationSeconds: number;
}

export interface QueueConfig<N extends QueueName = QueueName> {
  attempts: number;
  backoff: Backoff;
  removeOnComplete: Retention;
  removeOnFail: Retention;
  /** Jobs one worker process runs at once on this queue. */
  concurrency: number;
  limiter?: RateLimit | undefined;
  groupLimit?: GroupLimit | undefined;
  /** The rate-limit group of a job: provider and model, so one busy model never starves another. */
  groupOf?: ((payload: JobPayloads[N]) => string) | undefined;
  /**
   * At most `max` jobs of the queue per provider start per window, whatever their model. Off by default
   * (provider quotas are per account): set it where the account has an organisation-wide limit.
   */
  providerLimit?: GroupLimit | undefined;
  providerOf?: ((payload: JobPayloads[N]) => string) | undefined;
}

export type QueueConfigs = { [N in QueueName]: QueueConfig<N> };
export type QueueConfigOverrides = { [N in QueueName]?: Partial<QueueConfig<N>> };

const day = 24 * 60 * 60;
const keepDone: Retention = { ageSeconds: 7 * day, count: 50_000 };
const keepFailed: Retention = { ageSeconds: 30 * day };

// Provider calls dominate: replay and judge get generous attempts because a 429 storm is normal weather
// for them, and a per-model limit so the pipeline backs off before the provider has to tell it to.
const providerCalls = {
  attempts: 8,
  backoff: { delayMs: 2_000, maxDelayMs: 120_000 },
  removeOnComplete: keepDone,
  removeOnFail: keepFailed,
  concurrency: 8,
  limiter: { max: 1_200, durationMs: 60_000 },
  groupLimit: { max: 300, durationSeconds: 60 },
};

export const defaultQueueConfigs: QueueConfigs = {
  replay: {
    ...providerCalls,
    groupOf: (p) => `${p.provider}/${p.model}`,
    providerOf: (p) => p.provider,
  },
  judge: {
    ...providerCalls,
    groupOf: (p) => `${p.judgeProvider}/${p.judgeModel}`,
    providerOf: (p) => p.judgeProvider,
  },
  evaluate: {
    attempts: 5,
    backoff: { delayMs: 1_000, maxDelayMs: 30_000 },
    removeOnComplete: keepDone,
    removeOnFail: keepFailed,
    concurrency: 2,
  },
  shadow: {
    attempts: 3,
    backoff: { delayMs: 5_000, maxDelayMs: 60_000 },
    removeOnComplete: { ageSeconds: day, count: 10_000 },
    removeOnFail: keepFailed,
    concurrency: 4,
    groupLimit: { max: 60, durationSeconds: 60 },
    groupOf: (p) => `${p.provider}/${p.baselineModel}`,
  },
};

export function resolveQueueConfigs(overrides: QueueConfigOverrides = {}): QueueConfigs {
  const merge = <N extends QueueName>(name: N): QueueConfig<N> => ({ ...defaultQueueConfigs[name], ...overrides[name] });
  return { replay: merge("replay"), judge: merge("judge"), evaluate: merge("evaluate"), shadow: merge("shadow") };
}

/**
 * Delay before the next attempt once `attemptsMade` attempts have failed: exponential from the base,
 * capped, but never shorter than the retry-after the processor reported. Both drivers use this, so they
 * agree to the millisecond.
 */
export function retryDelayMs(attemptsMade: number, backoff: Backoff, error: unknown): number {
  const exponential = Math.min(backoff.maxDelayMs, backoff.delayMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.max(exponential, retryAfterOf(error) ?? 0);
}

/** The rate-limit group of raw job data, or undefined when it has none or the data is invalid (it will fail). */
export function groupKeyOf<N extends QueueName>(name: N, config: QueueConfig<N>, data: unknown): string | undefined {
  if (!config.groupLimit || !config.groupOf) return undefined;
  const parsed = payloadSchemas[name].safeParse(data);
  return parsed.success ? config.groupOf(parsed.data as JobPayloads[N]) : undefined;
}
