import type { QueueConfigOverrides } from "./config.ts";
import type { QueueDriver } from "./driver.ts";
import { BullmqDriver } from "./bullmq-driver.ts";
import { InProcessDriver } from "./in-process-driver.ts";

export interface CreateQueueDriverOptions {
  /** REDIS_URL: set, BullMQ on Redis (workers may live in other processes); unset, the in-process driver. */
  redisUrl?: string | undefined;
  prefix?: string;
  config?: QueueConfigOverrides;
  onError?: (error: Error) => void;
  /** BullMQ only: how often the marker key that reveals a lost Redis is looked for (BullmqDriverOptions). */
  lossCheckMs?: number;
}

export function createQueueDriver(options: CreateQueueDriverOptions): QueueDriver {
  if (options.redisUrl) {
    return new BullmqDriver({
      url: options.redisUrl,
      ...(options.prefix ? { prefix: options.prefix } : {}),
      ...(options.config ? { config: options.config } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.lossCheckMs ? { lossCheckMs: options.lossCheckMs } : {}),
    });
  }
  return new InProcessDriver(options.config ? { config: options.config } : {});
}
