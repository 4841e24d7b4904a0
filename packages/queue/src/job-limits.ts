import type { QueueName } from "./names.ts";
import { payloadSchemas, type JobPayloads } from "./payloads.ts";
import type { GroupLimit, QueueConfig } from "./config.ts";
import type { WindowLimiter } from "./rate-limit.ts";

/** The per-provider and per-model windows of one queue, counted in Redis or in memory. */
export interface JobLimiters {
  provider?: WindowLimiter | undefined;
  group?: WindowLimiter | undefined;
}

export function createJobLimiters(
  config: QueueConfig,
  make: (scope: "provider" | "group", limit: GroupLimit) => WindowLimiter,
): JobLimiters {
  return {
    provider: config.providerLimit && config.providerOf ? make("provider", config.providerLimit) : undefined,
    group: config.groupLimit && config.groupOf ? make("group", config.groupLimit) : undefined,
  };
}

/**
 * How long a job must wait before it may start: 0 when both its provider's and its model's windows have
 * room. The provider is asked first so a refused job does not use up its model's window; a job refused
 * by its model has still used a provider slot, which errs on the side of fewer calls. Invalid data has no
 * limit (it will fail validation at once).
 */
export async function limitDelayMs<N extends QueueName>(name: N, config: QueueConfig<N>, limiters: JobLimiters, data: unknown): Promise<number> {
  if (!limiters.provider && !limiters.group) return 0;
  const parsed = payloadSchemas[name].safeParse(data);
  if (!parsed.success) return 0;
  const payload = parsed.data as JobPayloads[N];
  if (limiters.provider && config.providerOf) {
    const waitMs = await limiters.provider.take(config.providerOf(payload));
    if (waitMs > 0) return waitMs;
  }
  if (limiters.group && config.groupOf) return limiters.group.take(config.groupOf(payload));
  return 0;
}
