/**
 * Errors a processor throws to steer the queue. Anything else is classified by the worker's processor base
 * before it reaches a driver, so drivers only ever see these two.
 */

/** Worth another attempt, after at least `retryAfterMs` when the provider said so (HTTP 429/503 Retry-After). */
export class RetryableError extends Error {
  override name = "RetryableError";
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Another attempt would fail the same way or burn budget (400, 401, spend cap, bad payload): fail now. */
export class NonRetryableError extends Error {
  override name = "NonRetryableError";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

export function retryAfterOf(error: unknown): number | undefined {
  return error instanceof RetryableError ? error.retryAfterMs : undefined;
}
