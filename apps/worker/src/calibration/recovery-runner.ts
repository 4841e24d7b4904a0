import type { Logger } from "pino";
import type { RecoveryResult } from "./recover.ts";

export interface RecoveryRunnerOptions {
  /** Loss signals this close together make one pass, and a flush still deleting keys is over by then. */
  debounceMs?: number;
  /** A pass after a loss that fails (Postgres away) is tried again after this, doubling up to a minute. */
  retryMs?: number;
}

export interface RecoveryRunner {
  /** A pass now, or right after the one running: callers in the meantime share that single follow-up. */
  pass(): Promise<RecoveryResult>;
  /** After a queue loss: one pass shortly, logged once, retried until it succeeds. */
  lost(reason: string): void;
  /** No more passes; waits for the one running. */
  stop(): Promise<void>;
}

const maxRetryMs = 60_000;

/**
 * Runs recovery passes one at a time, whoever asks (start-up, the periodic pass, a loss signal), so a
 * burst of signals costs at most the pass running and one more. Small enough that a library (p-queue,
 * p-debounce) would not make it shorter: what matters here is the coalescing, which neither does alone.
 */
export function recoveryRunner(task: () => Promise<RecoveryResult>, logger: Logger, options: RecoveryRunnerOptions = {}): RecoveryRunner {
  const debounceMs = options.debounceMs ?? 500;
  const retryMs = options.retryMs ?? 1_000;
  let running: Promise<RecoveryResult> | undefined;
  let queued: Promise<RecoveryResult> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pendingReason: string | undefined;
  let failures = 0;
  let stopped = false;

  const start = () => {
    const current = task();
    running = current;
    const clear = () => {
      if (running === current) running = undefined;
    };
    current.then(clear, clear);
    return current;
  };

  const pass = (): Promise<RecoveryResult> => {
    if (queued) return queued;
    if (!running) return start();
    queued = running
      .then(
        () => {},
        () => {},
      )
      .then(() => {
        queued = undefined;
        return start();
      });
    return queued;
  };

  const schedule = (ms: number) => {
    timer = setTimeout(() => void afterLoss(), ms);
    timer.unref();
  };

  const afterLoss = async () => {
    timer = undefined;
    const reason = pendingReason;
    pendingReason = undefined;
    try {
      const result = await pass();
      failures = 0;
      logger.warn({ reason, ...result }, "the queue lost its jobs: running calibrations re-derived from Postgres");
    } catch (error) {
      failures += 1;
      const retryInMs = Math.min(retryMs * 2 ** (failures - 1), maxRetryMs);
      logger.warn({ reason, err: { message: (error as Error).message }, retryInMs }, "recovery after a queue loss failed");
      pendingReason ??= reason;
      if (!stopped && !timer) schedule(retryInMs);
    }
  };

  return {
    pass,
    lost(reason) {
      if (stopped) return;
      pendingReason ??= reason;
      // A pass already waiting (debounce or retry) takes this signal along.
      if (!timer) schedule(debounceMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([running, queued]);
    },
  };
}
