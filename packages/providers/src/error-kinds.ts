/**
 * The kinds of failure proofgate itself reports, each with the type name both providers' SDKs know.
 * Errors that come from the upstream are passed through untouched; these are only proofgate's own.
 * Apart from errors.ts so that the wires' error bodies can read it without a cycle through the registry.
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
