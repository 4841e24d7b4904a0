import { z } from "zod";
import { NonRetryableError, RetryableError } from "@proofgate/queue";

// Statuses where the same request may well succeed later. Everything else 4xx is the request's own fault
// (400 bad request, 401/403 key, 404 model, 413 too large) and repeating it would only burn budget.
const transientStatuses = new Set([408, 409, 425, 429]);
// Some providers report an exhausted balance as a 429; it does not clear with waiting.
const spendCapCodes = /insufficient_quota|billing|credit balance|spend limit|quota exceeded/i;

export interface HttpFailure {
  status: number;
  headers?: Record<string, string | string[] | undefined> | Headers | undefined;
  body?: string | undefined;
  message?: string | undefined;
}

function header(headers: HttpFailure["headers"], name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-after in ms from `retry-after-ms`, `retry-after` seconds, or `retry-after` as an HTTP date. */
export function retryAfterMsFrom(headers: HttpFailure["headers"], now = Date.now()): number | undefined {
  const ms = Number(header(headers, "retry-after-ms"));
  if (Number.isFinite(ms) && ms >= 0 && header(headers, "retry-after-ms") !== undefined) return ms;
  const raw = header(headers, "retry-after");
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Turns a provider's non-2xx answer into the error that steers the queue. */
export function httpFailureError(failure: HttpFailure): RetryableError | NonRetryableError {
  const message = failure.message ?? `upstream answered ${failure.status}${failure.body ? `: ${failure.body.slice(0, 300)}` : ""}`;
  if (failure.status === 402 || (failure.body !== undefined && spendCapCodes.test(failure.body))) {
    return new NonRetryableError(`spend cap reached: ${message}`);
  }
  if (transientStatuses.has(failure.status) || failure.status >= 500) {
    return new RetryableError(message, { retryAfterMs: retryAfterMsFrom(failure.headers) });
  }
  return new NonRetryableError(message);
}

function statusOf(error: object): number | undefined {
  const candidate = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof candidate === "number" && candidate >= 400 && candidate < 600 ? candidate : undefined;
}

/**
 * Every failure a processor can raise, sorted into the two kinds the queue understands. SDK errors
 * (which carry `status` and `headers`) go through the HTTP rules; a bad payload never heals; anything
 * unknown (a reset socket, a database failover) is presumed transient.
 */
export function classifyError(error: unknown): RetryableError | NonRetryableError {
  if (error instanceof RetryableError || error instanceof NonRetryableError) return error;
  if (error instanceof z.ZodError) return new NonRetryableError(`invalid payload: ${z.prettifyError(error)}`, { cause: error });
  if (error !== null && typeof error === "object") {
    const status = statusOf(error);
    if (status !== undefined) {
      const failure = error as { headers?: HttpFailure["headers"]; message?: string; code?: unknown };
      const classified = httpFailureError({
        status,
        headers: failure.headers,
        message: failure.message,
        body: typeof failure.code === "string" ? failure.code : undefined,
      });
      return Object.assign(classified, { cause: error });
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RetryableError(message, { cause: error });
}
