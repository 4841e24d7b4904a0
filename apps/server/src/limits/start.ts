import { once } from "node:events";
import { clientKeySpend, type Db } from "@proofgate/db";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { LimitCounters } from "./counters.ts";
import { KeyLimiter } from "./limiter.ts";
import { dayOf, monthOf } from "./periods.ts";

export interface KeyLimitsOptions {
  db: Db;
  logger: Logger;
  /** REDIS_URL: counters shared by every proxy on it; this process's memory when absent. */
  redisUrl?: string | undefined;
  /** Key prefix of the counters in Redis (default "proofgate:limits"); tests use their own. */
  prefix?: string | undefined;
}

/** Seconds a limit check may wait on Redis before the request passes unlimited. */
const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * The key limiter a server runs: counters in Redis or memory, spend seeded from the captures of today
 * and this month (one query), so a restart does not hand every key a fresh budget.
 */
export async function startKeyLimits(options: KeyLimitsOptions): Promise<{ limiter: KeyLimiter; close(): Promise<void> }> {
  const { logger } = options;
  let redis: Redis | undefined;
  if (options.redisUrl) {
    // No offline queue and a command time-out: during an outage a check fails at once (and the request
    // passes) instead of waiting for a reconnection that may never come.
    redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
    // ioredis reconnects by itself; the counters log the outage once, so its error events are not logged again.
    redis.on("error", () => {});
    const timer = AbortSignal.timeout(2_000);
    await once(redis, "ready", { signal: timer }).catch(() => logger.warn("Redis not ready at start; key limits pass requests until it is"));
  }
  const limiter = new KeyLimiter(new LimitCounters({ redis, prefix: options.prefix, logger }));
  const now = new Date();
  try {
    await limiter.seed(await clientKeySpend(options.db, { dayStart: dayOf(now).start, monthStart: monthOf(now).start }));
  } catch (err) {
    logger.warn({ err }, "could not read this month's spend per key; spend limits count from zero until the period ends");
  }
  return {
    limiter,
    async close() {
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
