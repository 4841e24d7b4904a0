import type { ServerResponse } from "node:http";
import { copyResponseHeaders } from "@proofgate/providers";
import type { Outcome } from "../outcome.ts";
import { CandidateFailure } from "./failure.ts";
import type { Answering } from "./hold.ts";

/** Resolves when a paused response may be written again, or when its client has gone (then nothing will drain). */
function drained(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      outgoing.off("drain", done);
      outgoing.off("close", done);
      resolve();
    };
    outgoing.on("drain", done);
    outgoing.on("close", done);
  });
}

/**
 * A text stream, relayed (translated when the candidate is on the other wire) once its first byte has
 * come: past it a fallback would duplicate output, so a break then cuts the connection, as for a broken
 * baseline stream. Throws CandidateFailure when the stream ends before its first byte.
 */
export async function streamCandidate(a: Answering): Promise<Outcome> {
  const { response, crossing, call, exchange, outgoing } = a;
  const kept = exchange.reply;
  const translator = crossing.same ? null : crossing.stream(call.model, call.back, call.includeUsage);
  const out = (chunk: Buffer): Buffer => (translator ? Buffer.from(translator.push(chunk.toString("utf8"))) : chunk);
  const iterator = response.body[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new CandidateFailure("error", "the candidate's stream ended before its first byte");
  a.guard.proved();
  exchange.firstByteAt = performance.now();
  // What the capture reads the body by: the candidate's headers, or those of the translated stream.
  const sent = translator ? { "content-type": "text/event-stream", "cache-control": "no-cache" } : null;
  outgoing.writeHead(response.statusCode, sent ? { ...sent, ...a.own } : copyResponseHeaders(response.headers, a.own));
  outgoing.flushHeaders();
  const headers = sent ?? response.headers;
  const head = out(first.value as Buffer);
  kept.add(head);
  if (head.length > 0) outgoing.write(head);
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const chunk = out(next.value as Buffer);
      if (chunk.length === 0) continue;
      kept.add(chunk);
      if (!outgoing.write(chunk)) await drained(outgoing);
    }
    const tail = translator ? Buffer.from(translator.end()) : null;
    if (tail && tail.length > 0) kept.add(tail);
    outgoing.end(tail ?? undefined);
    return { kind: "answered", status: response.statusCode, headers, failure: null, brokenBy: null };
  } catch (error) {
    outgoing.destroy();
    if (a.guard.clientLeft) {
      return { kind: "answered", status: response.statusCode, headers, failure: "the client closed the connection before the response ended", brokenBy: "client" };
    }
    const failure = `the candidate's stream broke off: ${(error as Error).message}`;
    return { kind: "answered", status: response.statusCode, headers, failure, brokenBy: "upstream" };
  }
}
