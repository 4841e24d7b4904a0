import type { ServerResponse } from "node:http";

/** One abort for a candidate's call: its deadline, or its client leaving. */
export interface CandidateGuard {
  readonly signal: AbortSignal;
  /** The deadline passed before the candidate proved itself. */
  readonly timedOut: boolean;
  /** The client closed the connection before the response ended. */
  readonly clientLeft: boolean;
  /** The candidate proved itself (a whole valid reply, or a first byte): the deadline no longer applies. */
  proved(): void;
  /** The attempt is over, whichever way: nothing is watched any more. */
  close(): void;
}

/**
 * Cancels the candidate's call when it has not proved itself within `timeoutMs`, or when the client goes:
 * then nobody is left to answer, so the call stops costing, and is not counted against the candidate.
 */
export function candidateGuard(outgoing: ServerResponse, timeoutMs: number): CandidateGuard {
  const aborter = new AbortController();
  let timedOut = false;
  let clientLeft = false;
  const timer = setTimeout(() => {
    timedOut = true;
    aborter.abort(new Error(`the candidate did not answer within ${timeoutMs} ms`));
  }, timeoutMs);
  const onClientClose = () => {
    if (outgoing.writableFinished) return;
    clientLeft = true;
    aborter.abort(new Error("the client closed the connection"));
  };
  outgoing.on("close", onClientClose);
  return {
    signal: aborter.signal,
    get timedOut() {
      return timedOut;
    },
    get clientLeft() {
      return clientLeft;
    },
    proved: () => clearTimeout(timer),
    close() {
      clearTimeout(timer);
      outgoing.off("close", onClientClose);
    },
  };
}
