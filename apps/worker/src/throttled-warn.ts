import type { Logger } from "pino";

/**
 * Logs the first of a run of errors, then at most one line per `everyMs` carrying how many were held
 * back. A Redis that stays down makes every connection (the shared one, each worker's blocking one)
 * report every reconnect attempt: 70 lines in the first 4 s of an outage, about 2 a second after that.
 */
export function throttledWarn(logger: Logger, msg: string, everyMs = 60_000): (error: Error) => void {
  let loggedAt = Number.NEGATIVE_INFINITY;
  let held = 0;
  return (error) => {
    const now = Date.now();
    if (now - loggedAt < everyMs) {
      held += 1;
      return;
    }
    logger.warn({ err: { message: error.message }, ...(held > 0 ? { heldBack: held } : {}) }, msg);
    loggedAt = now;
    held = 0;
  };
}
