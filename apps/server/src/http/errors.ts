import { errorBody, errorKinds, requestIdHeader, type ErrorKind, type Provider } from "@proofgate/providers";

/**
 * proofgate's own kinds besides the providers' table: a client key over one of its limits (429). Its body
 * is written here, in each protocol's rate-limit shape, until the providers' table carries the kind.
 */
export type HttpErrorKind = ErrorKind | "rate_limited";

/**
 * The one error type of the HTTP layer. A kind maps to a status and to each protocol's error type; the
 * message says what is wrong in words a caller can act on. Never carries a stack to the client.
 */
export class HttpError extends Error {
  override name = "HttpError";
  readonly kind: HttpErrorKind;
  readonly param: string | null;
  readonly code: string | null;
  /** Whether a retry may succeed; by default only for an unreachable or slow upstream. */
  readonly retry: boolean;
  /** Seconds a client should wait before retrying, sent as `retry-after`; null sends none. */
  readonly retryAfterSeconds: number | null;

  constructor(
    kind: HttpErrorKind,
    message: string,
    options: { param?: string | null; code?: string | null; retry?: boolean; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.kind = kind;
    this.param = options.param ?? null;
    this.code = options.code ?? null;
    this.retry = options.retry ?? (kind === "bad_gateway" || kind === "gateway_timeout");
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }

  get status(): number {
    return this.kind === "rate_limited" ? 429 : errorKinds[this.kind].status;
  }
}

/** Status, headers and body of an error in the caller's protocol. */
export function renderError(error: HttpError, protocol: Provider, requestId: string) {
  const input = { message: error.message, requestId, param: error.param, code: error.code };
  const body = error.kind === "rate_limited" ? rateLimitBody(protocol, input) : errorBody(protocol, { ...input, kind: error.kind });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    // The official SDKs read x-should-retry before their own status rules.
    "x-should-retry": error.retry ? "true" : "false",
    "x-proofgate-request-id": requestId,
    [requestIdHeader[protocol]]: requestId,
  };
  if (error.retryAfterSeconds !== null) headers["retry-after"] = String(error.retryAfterSeconds);
  return { status: error.status, headers, body };
}

/** The bodies OpenAI and Anthropic send with their own 429s, so SDKs and tools read ours alike. */
function rateLimitBody(protocol: Provider, input: { message: string; requestId: string; param: string | null; code: string | null }): string {
  if (protocol === "anthropic") {
    return JSON.stringify({ type: "error", error: { type: "rate_limit_error", message: input.message }, request_id: input.requestId });
  }
  return JSON.stringify({
    error: { message: input.message, type: "rate_limit_error", param: input.param, code: input.code ?? "rate_limit_exceeded" },
    request_id: input.requestId,
  });
}
