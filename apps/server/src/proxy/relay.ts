import type { ServerResponse } from "node:http";
import type { UpstreamResponse } from "@proofgate/providers";


export interface RelayResult {
  /** The response body as it went out (kept only when asked, for the capture). */
  chunks: Buffer[];
  firstByteAt: number | null;
  endedAt: number;
  /** Why the body did not complete: upstream broke mid-body, or the client went away. */
  failure: string | null;
  brokenBy: "client" | "upstream" | null;
}

/**
 * Passes the upstream body to the client chunk by chunk as it arrives: no buffering, no re-encoding, so SSE
 * events reach the client when the provider sends them. Backpressure from a slow client pauses the upstream.
 * The head must already be written. `done` runs once, when the body has ended or failed.
 */
export function relayBody(
  upstream: UpstreamResponse,
  outgoing: ServerResponse,
  keep: boolean,
  done: (result: RelayResult) => void,
): void {
  const body = upstream.body;
  const chunks: Buffer[] = [];
  let firstByteAt: number | null = null;
  let finished = false;
  const finish = (brokenBy: RelayResult["brokenBy"], failure: string | null) => {
    if (finished) return;
    finished = true;
    outgoing.off("close", onClientClose);
    done({ chunks, firstByteAt, endedAt: performance.now(), failure, brokenBy });
  };
  const resume = () => body.resume();
  const onClientClose = () => {
    if (outgoing.writableFinished) return;
    // The client went away: stop paying for tokens nobody reads.
    body.destroy();
    finish("client", "the client closed the connection before the response ended");
  };
  body.on("data", (chunk: Buffer) => {
    if (firstByteAt === null) firstByteAt = performance.now();
    if (keep) chunks.push(chunk);
    if (!outgoing.write(chunk)) {
      body.pause();
      outgoing.once("drain", resume);
    }
  });
  body.on("end", () => {
    outgoing.end();
    finish(null, null);
  });
  body.on("error", (error: Error) => {
    if (finished) return;
    // Headers are gone already; cutting the connection is the only way to tell the client the body is incomplete.
    outgoing.destroy();
    finish("upstream", `the upstream response broke off: ${error.message}`);
  });
  outgoing.on("close", onClientClose);
}
