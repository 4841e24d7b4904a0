import { AsyncLocalStorage } from "node:async_hooks";

/**
 * How long one database call may take before the caller gets an error instead of waiting on: a wedged
 * database (a server that stopped answering, the embedded database's thread stuck) then degrades
 * requests (503 for key checks, captures to the spool) instead of hanging them. Generous, because it
 * covers every statement (migrations, calibration sampling, dashboard aggregates); latency-critical callers
 * set a shorter limit for their own calls with withTimeLimit.
 */
export const DB_TIME_LIMIT_MS = 30_000;

/** Postgres's SQLSTATE for a statement cancelled by statement_timeout or a cancel request. */
export const QUERY_CANCELED = "57014";

/**
 * A database call that ran out of time. It carries Postgres's own query_canceled code, so it is handled
 * like the server cancelling the statement: transient for the capture writer, 503 for HTTP callers.
 */
export class DbTimeoutError extends Error {
  override name = "DbTimeoutError";
  readonly code = QUERY_CANCELED;

  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
  }
}

const scope = new AsyncLocalStorage<number>();

/**
 * Runs fn with every database call it makes limited to ms (instead of the connection's default), on
 * both drivers: e.g. a key check that must answer quickly or not at all.
 */
export function withTimeLimit<T>(ms: number, fn: () => PromiseLike<T>): Promise<T> {
  // Awaited inside the scope: drizzle's queries are lazy thenables that start only when awaited.
  return scope.run(ms, async () => await fn());
}

/** The limit for a call made now: the innermost withTimeLimit, else the connection's default. */
export function currentTimeLimit(fallbackMs: number): number {
  return scope.getStore() ?? fallbackMs;
}

/**
 * Settles like `start()` unless ms pass first, then rejects with DbTimeoutError and calls onTimeout
 * (to cancel the call). A late result is ignored.
 */
export function timeLimited<T>(start: () => PromiseLike<T>, ms: number, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new DbTimeoutError(ms));
      onTimeout?.();
    }, ms);
    start().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
