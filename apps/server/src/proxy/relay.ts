import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { copyResponseHeaders, UpstreamCancelled, type UpstreamControl, type UpstreamRequest, type Upstreams } from "@proofgate/providers";
import { HttpError } from "../http/errors.ts";
import type { KeptReply } from "./in-flight.ts";

export interface RelayResult {
  status: number;
  headers: IncomingHttpHeaders;
  firstByteAt: number | null;
  endedAt: number;
  /** Why the body did not complete: upstream broke mid-body, or the client went away. */
  failure: string | null;
  brokenBy: "client" | "upstream" | null;
}

export interface RelayOptions {
  /** Where the body chunks are kept for the capture (null: not kept). */
  keep: KeptReply | null;
  /** proofgate's own response headers, added to the upstream's. */
  own: Record<string, string>;
  /** Runs once the body has ended or failed (not when the call failed before its head). */
  done: (result: RelayResult) => void;
}

/** The error a call is cancelled with when its client has gone; classifyUpstreamError reads it as aborted by its class. */
function clientGone(): Error {
  return new UpstreamCancelled("the client closed the connection");
}

/**
 * Calls the upstream and passes its answer to the client as it arrives: the status and headers, then each
 * body chunk as undici hands it over (no buffering, no re-encoding), so SSE events reach the client when the
 * provider sends them; SSE heads are flushed at once. A slow client pauses the upstream; a client that
 * leaves cancels it. Resolves once the head is written; rejects, with nothing written, if the call failed
 * before a head arrived (unreachable, timeout, cancelled).
 */
export function relay(upstreams: Upstreams, request: UpstreamRequest, outgoing: ServerResponse, options: RelayOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    let control: UpstreamControl | null = null;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let headSent = false;
    let finished = false;
    let firstByteAt: number | null = null;
    const finish = (brokenBy: RelayResult["brokenBy"], failure: string | null) => {
      if (finished) return;
      finished = true;
      outgoing.off("close", onClientClose);
      options.done({ status, headers, firstByteAt, endedAt: performance.now(), failure, brokenBy });
    };
    let clientLeft = false;
    const resume = () => control?.resume();
    function onClientClose() {
      if (outgoing.writableFinished) return;
      // Set before the abort: undici reports the cancelled call through onError at once, and that error
      // is the client's doing, not the upstream's.
      clientLeft = true;
      // The client went away: stop paying for tokens nobody reads.
      control?.abort(clientGone());
      if (headSent) finish("client", "the client closed the connection before the response ended");
    }
    outgoing.on("close", onClientClose);
    upstreams.dispatch(request, {
      onStart(c) {
        control = c;
        if (outgoing.destroyed) c.abort(clientGone());
      },
      onHead(code, head, c) {
        status = code;
        headers = head;
        try {
          outgoing.writeHead(code, copyResponseHeaders(head, options.own));
        } catch (error) {
          // A head Node refuses to write is proofgate's fault, and the same request would fail the same way
          // again: answered once as an internal error, never as a retryable upstream failure.
          outgoing.off("close", onClientClose);
          c.abort(error as Error);
          reject(new HttpError("internal", `proofgate could not write the response head: ${(error as Error).message}`, { code: "internal_error" }));
          return;
        }
        const type = head["content-type"];
        if (typeof type === "string" && type.startsWith("text/event-stream")) outgoing.flushHeaders();
        headSent = true;
        options.keep?.expect(Number(head["content-length"]));
        resolve();
      },
      onChunk(chunk, c) {
        if (firstByteAt === null) firstByteAt = performance.now();
        options.keep?.add(chunk);
        if (!outgoing.write(chunk)) {
          c.pause();
          outgoing.once("drain", resume);
        }
      },
      onEnd() {
        outgoing.end();
        finish(null, null);
      },
      onError(error) {
        if (!headSent) {
          outgoing.off("close", onClientClose);
          reject(error);
          return;
        }
        if (finished) return;
        if (clientLeft) {
          finish("client", "the client closed the connection before the response ended");
          return;
        }
        // Headers are gone already; cutting the connection is the only way to tell the client the body is incomplete.
        outgoing.destroy();
        finish("upstream", `the upstream response broke off: ${error.message}`);
      },
    });
  });
}
