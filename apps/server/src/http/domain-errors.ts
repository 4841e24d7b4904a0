import type { ProofgateError, ProofgateErrorKind } from "@proofgate/core";
import type { ErrorKind } from "@proofgate/providers";
import { HttpError } from "./errors.ts";

const kinds = {
  not_found: "not_found",
  conflict: "conflict",
  invalid: "invalid_request",
  unavailable: "unavailable",
} as const satisfies Record<ProofgateErrorKind, ErrorKind>;

/**
 * The one mapping of domain errors to HTTP: the status from the kind, the code and message as they are.
 * Never a retry: a refusal stands until the caller or the operator changes something.
 */
export function httpErrorFrom(error: ProofgateError): HttpError {
  return new HttpError(kinds[error.kind], error.message, { code: error.code, param: error.param, retry: false });
}
