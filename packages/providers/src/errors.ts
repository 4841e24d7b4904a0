import type { Provider } from "./endpoints.ts";

/**
 * The kinds of failure proofgate itself reports, each with the type name both providers' SDKs know.
 * Errors that come from the upstream are passed through untouched; these are only proofgate's own.
 */
export const errorKinds = {
  invalid_request: { status: 400, openai: "invalid_request_error", anthropic: "invalid_request_error" },
  unauthorized: { status: 401, openai: "invalid_request_error", anthropic: "authentication_error" },
  not_found: { status: 404, openai: "invalid_request_error", anthropic: "not_found_error" },
  conflict: { status: 409, openai: "invalid_request_error", anthropic: "invalid_request_error" },
  too_large: { status: 413, openai: "invalid_request_error", anthropic: "request_too_large" },
  bad_gateway: { status: 502, openai: "api_error", anthropic: "api_error" },
  unavailable: { status: 503, openai: "api_error", anthropic: "api_error" },
  gateway_timeout: { status: 504, openai: "api_error", anthropic: "timeout_error" },
  internal: { status: 500, openai: "api_error", anthropic: "api_error" },
} as const;

export type ErrorKind = keyof typeof errorKinds;

export interface ErrorBodyInput {
  kind: ErrorKind;
  message: string;
  requestId: string;
  /** OpenAI's `param`: the request field at fault, when there is one. */
  param?: string | null;
  /** OpenAI's `code`: a stable machine-readable reason. */
  code?: string | null;
}

/** The error body in the caller's protocol. Both carry proofgate's request id at the top level. */
export function errorBody(protocol: Provider, input: ErrorBodyInput): string {
  const kind = errorKinds[input.kind];
  if (protocol === "anthropic") {
    return JSON.stringify({
      type: "error",
      error: { type: kind.anthropic, message: input.message },
      request_id: input.requestId,
    });
  }
  return JSON.stringify({
    error: { message: input.message, type: kind.openai, param: input.param ?? null, code: input.code ?? input.kind },
    request_id: input.requestId,
  });
}

/** Header the SDKs read for the request id of an error: OpenAI's and Anthropic's. */
export const requestIdHeader = { openai: "x-request-id", anthropic: "request-id" } as const satisfies Record<
  Provider,
  string
>;
