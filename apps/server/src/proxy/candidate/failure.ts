/** Why a candidate's attempt gave way to the baseline. */
export type FallbackReason = "error" | "timeout" | "contract";

/**
 * The candidate's attempt failed before anything reached the client: the baseline answers instead. Thrown
 * inside the candidate's modules only, and matched by class. Its own file so that the hold and stream
 * steps can throw it without importing the attempt that calls them.
 */
export class CandidateFailure extends Error {
  readonly reason: FallbackReason;
  constructor(reason: FallbackReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
