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

/** Seconds each counter lives: a minute for rates; in Redis, past the period for spend (whose keys carry the period's id). */
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

type SpendKind = "day" | "month";

/**
 * Fixed-window counters per client key, kept by rate-limiter-flexible in Redis (atomic INCRBY with an
 * expiry, shared by every proxy) or in memory. Limits are compared by the caller, per key, so the
 * libraries' own `points` are set past reach. Spend counters carry their period's id in their key.
 * A store that fails answers null: the caller lets the request through (limits fail open), and the
 * outage is logged once, not once per request.
 */
export class LimitCounters {
  readonly shared: boolean;
  readonly #prefix: string;
  readonly #redis: Redis | undefined;
  readonly #rates: Record<"requests" | "tokens", RateLimiterAbstract>;
  readonly #spend: Partial<Record<SpendKind, RateLimiterAbstract>> = {};
  /** In memory, one store per spend period, the two newest kept: see #spendLimiter. */
  readonly #periods: Record<SpendKind, Map<string, RateLimiterMemory>> = { day: new Map(), month: new Map() };
  readonly #logger: Logger;
  #down = false;

  constructor(options: CounterOptions) {
    this.#prefix = options.prefix ?? "proofgate:limits";
    this.#redis = options.redis;
    this.shared = options.redis !== undefined;
    this.#rates = { requests: this.#make("requests", durations.requests), tokens: this.#make("tokens", durations.tokens) };
    if (options.redis) {
      this.#spend.day = this.#make("day", durations.day);
      this.#spend.month = this.#make("month", durations.month);
    }
    this.#logger = options.logger;
  }

  /** Adds points and answers the count after it; null when the store failed. `period` names a spend counter's day or month. */
  add(kind: CounterKind, key: string, points: number, period?: string): Promise<Count | null> {
    return this.#call(() => this.#limiter(kind, period).penalty(this.#key(key, period), points));
  }

  /** The count now (zero when the window has not started); null when the store failed. */
  get(kind: CounterKind, key: string, period?: string): Promise<Count | null> {
    return this.#call(() => this.#limiter(kind, period).get(this.#key(key, period)));
  }

  /** Raises a counter to at least `points` (a seed that never lowers what other proxies counted already). */
  async raise(kind: CounterKind, key: string, points: number, period?: string): Promise<void> {
    const now = await this.get(kind, key, period);
    if (now !== null && now.consumed < points) await this.add(kind, key, points - now.consumed, period);
  }

  #key(key: string, period: string | undefined): string {
    return period === undefined ? key : `${key}:${period}`;
  }

  #make(kind: CounterKind, duration: number): RateLimiterAbstract {
    const common = { keyPrefix: `${this.#prefix}:${kind}`, points: Number.MAX_SAFE_INTEGER, duration };
    // rejectIfRedisNotReady: while ioredis reconnects, fail at once instead of queueing behind the outage.
    return this.#redis ? new RateLimiterRedis({ ...common, storeClient: this.#redis, rejectIfRedisNotReady: true }) : new RateLimiterMemory(common);
  }

  #limiter(kind: CounterKind, period: string | undefined): RateLimiterAbstract {
    if (kind === "requests" || kind === "tokens") return this.#rates[kind];
    if (period === undefined) throw new Error(`a ${kind} counter needs its period`);
    return this.#spend[kind] ?? this.#spendLimiter(kind, period);
  }

  /**
   * rate-limiter-flexible's memory store expires each key with a setTimeout, which cannot wait past 24.8
   * days (a month's counter would vanish at once). In memory, spend counters therefore never expire; each
   * period gets its own store instead, and a store is dropped two periods on.
   */
  #spendLimiter(kind: SpendKind, period: string): RateLimiterMemory {
    const stores = this.#periods[kind];
    let store = stores.get(period);
    if (!store) {
      store = new RateLimiterMemory({ keyPrefix: `${this.#prefix}:${kind}`, points: Number.MAX_SAFE_INTEGER, duration: 0 });
      stores.set(period, store);
      const newest = [...stores.keys()].sort().slice(-2);
      for (const p of stores.keys()) if (!newest.includes(p)) stores.delete(p);
    }
    return store;
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
