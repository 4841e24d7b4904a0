import type { Logger } from "pino";
import type { QueueDriver, QueueName } from "@proofgate/queue";
import { toJobHandler, type AnyProcessor } from "./processor.ts";

export interface StartWorkersOptions {
  driver: QueueDriver;
  processors: readonly AnyProcessor[];
  logger: Logger;
}

export interface CloseResult {
  /** Jobs still running at the deadline: BullMQ hands them to another worker once their lock expires;
   * in-process, the next start re-derives them from Postgres. */
  abandoned: number;
}

export interface RunningWorkers {
  readonly queues: readonly QueueName[];
  /** Ordered shutdown: stop taking jobs, wait up to `timeoutMs` for running ones, then close connections. */
  close(timeoutMs?: number): Promise<CloseResult>;
}

export function startWorkers({ driver, processors, logger }: StartWorkersOptions): RunningWorkers {
  const queues = processors.map((p) => p.queue);
  const duplicate = queues.find((q, i) => queues.indexOf(q) !== i);
  if (duplicate) throw new Error(`two processors for queue ${duplicate}`);

  const workers = processors.map((p) => driver.work(p.queue, toJobHandler(p, logger)));
  logger.info({ driver: driver.kind, queues }, "workers started");

  let closing: Promise<CloseResult> | undefined;
  return {
    queues,
    close(timeoutMs = 10_000) {
      closing ??= (async () => {
        const started = Date.now();
        // All queues stop together, so the deadline is shared rather than paid once per queue.
        const stopped = await Promise.all(workers.map((w) => w.stop(timeoutMs)));
        const abandoned = stopped.reduce((sum, s) => sum + s.abandoned, 0);
        await driver.close();
        const fields = { abandoned, ms: Date.now() - started };
        if (abandoned > 0) logger.warn(fields, "workers closed at the deadline with jobs still running");
        else logger.info(fields, "workers closed");
        return { abandoned };
      })();
      return closing;
    },
  };
}
