import type { ServerResponse } from "node:http";
import { answerText, copyResponseHeaders, decodeBody, type Crossing, type UpstreamResponse } from "@proofgate/providers";
import type { Exchange } from "../exchange.ts";
import type { Outcome } from "../outcome.ts";
import type { ActiveRoute } from "../route-table.ts";
import { CandidateFailure } from "./failure.ts";
import type { CandidateGuard } from "./guard.ts";
import type { CandidateRequest } from "./request.ts";

/** What answering the client with a candidate's reply needs. */
export interface Answering {
  response: UpstreamResponse;
  eventStream: boolean;
  crossing: Crossing;
  call: CandidateRequest;
  route: ActiveRoute;
  guard: CandidateGuard;
  exchange: Exchange;
  own: Record<string, string>;
  outgoing: ServerResponse;
}

/**
 * A reply held whole (not streamed, or streamed under a JSON contract): read, assembled, translated into
 * the client's format, checked against the format contract, and only then written. Throws
 * CandidateFailure, with nothing written, when it cannot be held or breaks the contract.
 */
export async function holdCandidate(a: Answering): Promise<Outcome> {
  const { response, eventStream, crossing, call, exchange } = a;
  const kept = exchange.reply;
  // Read by hand rather than with for-await, which would destroy the body on a throw: the caller drains it.
  const iterator = response.body[Symbol.asyncIterator]();
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    exchange.firstByteAt ??= performance.now();
    kept.add(next.value as Buffer);
    // A reply that cannot be held cannot be checked: the baseline, relayed as it comes, answers instead.
    if (kept.dropped) throw new CandidateFailure("error", `the candidate's reply cannot be held to check it: ${kept.dropped}`);
  }
  const encoding = response.headers["content-encoding"];
  const text = decodeBody(kept.chunks, typeof encoding === "string" ? encoding : undefined);
  const raw = crossing.target.assemble(text, eventStream);
  // A translated reply is checked as the client receives it and as calibration scored it (in the client's
  // format: a structured-output tool's input is the message content there).
  const reply = crossing.same || raw.error ? null : Buffer.from(crossing.replyText(text, eventStream, call.model, call.back, call.includeUsage));
  const assembled = reply ? crossing.source.assemble(reply.toString("utf8"), eventStream) : raw;
  const verdict = a.route.check(answerText(assembled.outputText, assembled.toolCalls));
  if (assembled.error || !verdict.ok) {
    throw new CandidateFailure("contract", `the candidate's reply breaks the format contract: ${assembled.error ?? verdict.violations.join("; ")}`);
  }
  a.guard.proved();
  if (!reply) {
    a.outgoing.writeHead(response.statusCode, copyResponseHeaders(response.headers, a.own));
    a.outgoing.end(kept.chunks.length === 1 ? kept.chunks[0] : Buffer.concat(kept.chunks));
    return { kind: "answered", status: response.statusCode, headers: response.headers, failure: null, brokenBy: null };
  }
  // Translated into the client's format: the candidate's length and encoding no longer apply. What the
  // capture reads the body by is the translated reply's headers.
  kept.replace([reply]);
  const sent = { "content-type": eventStream ? "text/event-stream" : "application/json" };
  a.outgoing.writeHead(response.statusCode, { ...sent, ...a.own });
  a.outgoing.end(reply);
  return { kind: "answered", status: response.statusCode, headers: sent, failure: null, brokenBy: null };
}
