import { errorBody, errorKinds, requestIdHeader, type ErrorKind, type Provider } from "@proofgate/providers";

/**
 * The one error type of the HTTP layer. A kind maps to a status and to each protocol's error type; the
 * message says what is wrong in words a caller can act on. Never carries a stack to the client.
 */
export class HttpError extends Error {
  override name = "HttpError";
  readonly kind: ErrorKind;
  readonly param: string | null;
  readonly code: string | null;
  /** Whether a retry may succeed; by default only for an unreachable or slow upstream. */
  readonly retry: boolean;
  /** Seconds to wait before that retry, sent as retry-after (the SDKs honour it). */
  readonly retryAfterSeconds: number | null;

  constructor(
    kind: ErrorKind,
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
    return errorKinds[this.kind].status;
  }
}

/** Status, headers and body of an error in the caller's protocol. */
export function renderError(error: HttpError, protocol: Provider, requestId: string) {
  const body = errorBody(protocol, {
    kind: error.kind,
    message: error.message,
    requestId,
    param: error.param,
    code: error.code,
  });
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
