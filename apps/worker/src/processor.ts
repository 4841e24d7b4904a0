import type { Logger } from "pino";
import { RetryableError, parsePayload, type JobContext, type JobHandler, type JobPayloads, type QueueName } from "@proofgate/queue";
import { classifyError } from "./errors.ts";

export interface ProcessorContext extends JobContext {
  log: Logger;
}

export interface Processor<N extends QueueName = QueueName> {
  readonly queue: N;
  handle(payload: JobPayloads[N], context: ProcessorContext): Promise<unknown>;
}

export type AnyProcessor = { [N in QueueName]: Processor<N> }[QueueName];

export function defineProcessor<N extends QueueName>(queue: N, handle: Processor<N>["handle"]): Processor<N> {
  return { queue, handle };
}

/**
 * Wraps a processor for a driver: validates the payload (it may predate a schema change), classifies any
 * failure as retryable or not, and logs exactly one line per attempt with its outcome and duration.
 */
export function toJobHandler<N extends QueueName>(processor: Processor<N>, logger: Logger): JobHandler {
  return async (data, context) => {
    const started = performance.now();
    const log = logger.child({ queue: context.queue, jobId: context.jobId });
    const attempt = { attempt: context.attempt, maxAttempts: context.maxAttempts };
    try {
      const payload = parsePayload(processor.queue, data);
      const result = await processor.handle(payload, { ...context, log });
      log.info({ ...attempt, ms: Math.round(performance.now() - started), outcome: "completed" }, "job completed");
      return result;
    } catch (error) {
      const classified = classifyError(error);
      const retry = classified instanceof RetryableError && context.attempt < context.maxAttempts;
      const fields = {
        ...attempt,
        ms: Math.round(performance.now() - started),
        outcome: retry ? "retry" : "failed",
        retryable: classified instanceof RetryableError,
        ...(classified instanceof RetryableError && classified.retryAfterMs !== undefined ? { retryAfterMs: classified.retryAfterMs } : {}),
        err: { name: classified.name, message: classified.message },
      };
      if (retry) log.warn(fields, "job failed, will retry");
      else log.error(fields, "job failed");
      throw classified;
    }
  };
}
