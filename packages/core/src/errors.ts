/** The admin API's public error codes for domain refusals; clients match on these, so they never change. */
export type ErrorCode =
  | "prompt_not_found"
  | "calibration_not_found"
  | "calibration_running"
  | "calibration_refused"
  | "no_calibration_workers"
  | "invalid_body"
  | "is_baseline"
  | "no_report"
  | "report_not_passing"
  | "report_stale"
  | "cross_provider_unsupported";

/** What kind of refusal a domain error is; the server maps it to a status. Not providers' HTTP ErrorKind. */
export type ProofgateErrorKind = "not_found" | "conflict" | "invalid" | "unavailable";

export interface ProofgateErrorOptions {
  /** The short clause the dashboard composes into its own sentence; the message when not given. */
  reason?: string;
  /** The request field at fault, when there is one. */
  param?: string;
  cause?: unknown;
}

/** A domain refusal: a stable `code` for clients, a sentence for people, and the short `reason` the dashboard composes. */
export abstract class ProofgateError extends Error {
  abstract readonly kind: ProofgateErrorKind;
  readonly code: ErrorCode;
  /** The short clause, e.g. "no candidate configured for o3" (the message is the full sentence). */
  readonly reason: string;
  /** The request field at fault (the admin API's `param`), when there is one. */
  readonly param: string | null;

  constructor(code: ErrorCode, message: string, options: ProofgateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.reason = options.reason ?? message;
    this.param = options.param ?? null;
  }
}

/** Something the request names does not exist (a prompt, a calibration). */
export class NotFoundError extends ProofgateError {
  override name = "NotFoundError";
  readonly kind = "not_found";
}

/** The request is well formed but asks for something that makes no sense (a baseline as its own candidate). */
export class InvalidInputError extends ProofgateError {
  override name = "InvalidInputError";
  readonly kind = "invalid";
}

/** Why a switch was refused (is_baseline, no_report, report_not_passing, report_stale, cross_provider_unsupported). */
export class RouteRefusal extends ProofgateError {
  override name = "RouteRefusal";
  readonly kind = "conflict";
}

/** Why a calibration was not started; the message is the admin API's sentence around the reason. */
export class CalibrationRefusal extends ProofgateError {
  override name = "CalibrationRefusal";
  readonly kind = "conflict";
  readonly promptId: string;

  constructor(code: "calibration_running" | "calibration_refused", promptId: string, reason: string, options: { cause?: unknown } = {}) {
    super(code, `Cannot calibrate prompt '${promptId}': ${reason}.`, { reason, cause: options.cause });
    this.promptId = promptId;
  }
}

/** This process runs no calibration workers, so nothing it is asked to calibrate can start. */
export class CalibrationsUnavailable extends ProofgateError {
  override name = "CalibrationsUnavailable";
  readonly kind = "unavailable";

  constructor() {
    super("no_calibration_workers", "This server runs no calibration workers, so it cannot start a calibration.", {
      reason: "this server runs no calibration workers",
    });
  }
}
