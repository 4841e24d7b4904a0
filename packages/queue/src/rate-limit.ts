import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Redis } from "ioredis";

/**
 * A fixed-window counter per key: `take` answers 0 when a job may start now, else how many ms to wait.
 * rate-limiter-flexible does the counting, atomically in Redis (shared by every worker) or in memory, so
 * both drivers limit a provider/model group with the same arithmetic.
 */
export interface WindowLimiter {
  take(key: string): Promise<number>;
}

function wrap(limiter: RateLimiterMemory | RateLimiterRedis): WindowLimiter {
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
        throw rejection;
      }
    },
  };
}

export function memoryLimiter(max: number, durationSeconds: number): WindowLimiter {
  if (!(durationSeconds > 0) || !(max >= 1)) throw new Error(`invalid rate limit: ${max} per ${durationSeconds} s`);
  return wrap(new RateLimiterMemory({ points: max, duration: durationSeconds }));
}

export function redisLimiter(redis: Redis, keyPrefix: string, max: number, durationSeconds: number): WindowLimiter {
  // Redis expiries (SET ... EX) take whole seconds; a fraction would fail on the first job, so refuse it now.
  if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || !(max >= 1)) {
    throw new Error(`invalid group limit: ${max} per ${durationSeconds} s (whole seconds, at least 1)`);
  }
  return wrap(new RateLimiterRedis({ storeClient: redis, keyPrefix, points: max, duration: durationSeconds }));
}
