import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from "rate-limiter-flexible";

/** What is counted per client key: requests and tokens per minute, spend (in nano-USD) per day and per month. */
export type CounterKind = "requests" | "tokens" | "day" | "month";

export interface Count {
  consumed: number;
  /** Until the counter's window ends (for day and month: until the key expires, past the period's end). */
  msBeforeNext: number;
}

/** Seconds each counter lives: a minute for rates; past the period for spend, whose keys carry the period's id. */
const durations: Record<CounterKind, number> = { requests: 60, tokens: 60, day: 2 * 86_400, month: 32 * 86_400 };

/** Spend is counted in whole nano-USD: Redis INCRBY takes integers, and a request can cost a millionth of a cent. */
export const NANO_USD = 1e9;

export interface CounterOptions {
  /** Counters shared through Redis (every proxy on it); in this process's memory when absent. */
  redis?: Redis | undefined;
  /** Redis key prefix; keys are `<prefix>:<kind>:<client key id>[:<period>]`. */
  prefix?: string;
  logger: Logger;
}

/**
 * Fixed-window counters per client key, kept by rate-limiter-flexible in Redis (atomic INCRBY with an
 * expiry, shared by every proxy) or in memory. Limits are compared by the caller, per key, so the
 * libraries' own `points` are set past reach. A store that fails answers null: the caller lets the
 * request through (limits fail open), and the outage is logged once, not once per request.
 */
export class LimitCounters {
  readonly shared: boolean;
  readonly #limiters: Record<CounterKind, RateLimiterAbstract>;
  readonly #logger: Logger;
  #down = false;

  constructor(options: CounterOptions) {
    const prefix = options.prefix ?? "proofgate:limits";
    const make = (kind: CounterKind): RateLimiterAbstract => {
      const common = { keyPrefix: `${prefix}:${kind}`, points: Number.MAX_SAFE_INTEGER, duration: durations[kind] };
      // rejectIfRedisNotReady: while ioredis reconnects, fail at once instead of queueing behind the outage.
      return options.redis ? new RateLimiterRedis({ ...common, storeClient: options.redis, rejectIfRedisNotReady: true }) : new RateLimiterMemory(common);
    };
    this.shared = options.redis !== undefined;
    this.#limiters = { requests: make("requests"), tokens: make("tokens"), day: make("day"), month: make("month") };
    this.#logger = options.logger;
  }

  /** Adds points and answers the count after it; null when the store failed. */
  add(kind: CounterKind, key: string, points: number): Promise<Count | null> {
    return this.#call(() => this.#limiters[kind].penalty(key, points));
  }

  /** The count now (zero when the window has not started); null when the store failed. */
  get(kind: CounterKind, key: string): Promise<Count | null> {
    return this.#call(() => this.#limiters[kind].get(key));
  }

  /** Raises a counter to at least `points` (a seed that never lowers what other proxies counted already). */
  async raise(kind: CounterKind, key: string, points: number): Promise<void> {
    const now = await this.get(kind, key);
    if (now !== null && now.consumed < points) await this.add(kind, key, points - now.consumed);
  }

  async #call(op: () => Promise<RateLimiterRes | null>): Promise<Count | null> {
    try {
      const res = await op();
      if (this.#down) {
        this.#down = false;
        this.#logger.info("key limit counters reachable again; limits apply again");
      }
      return res === null ? { consumed: 0, msBeforeNext: 0 } : { consumed: res.consumedPoints, msBeforeNext: res.msBeforeNext };
    } catch (error) {
      if (!this.#down) {
        this.#down = true;
        this.#logger.warn({ err: (error as Error).message }, "key limit counters unreachable; requests pass unlimited until they are back");
      }
      return null;
    }
  }
}
