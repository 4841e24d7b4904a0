import type { ServerResponse } from "node:http";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { assemble, copyResponseHeaders, decodeBody, type EndpointSpec, type UpstreamResponse } from "@proofgate/providers";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { headerValue } from "../http/header-value.ts";
import { candidateWire } from "./candidate-wire.ts";
import { captureLater, type Exchange } from "./capture.ts";
import { KeptReply } from "./in-flight.ts";
import { bindings, forward, type Prepared } from "./forward.ts";
import type { ProxyContext } from "./context.ts";
import type { ActiveRoute } from "./route-table.ts";

type FallbackReason = "error" | "timeout" | "contract";

/** The candidate's attempt failed before anything reached the client: the baseline answers instead. */
class Fallback extends Error {
  readonly reason: FallbackReason;
  constructor(reason: FallbackReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** What an answer said, as calibration scored it: its text, or its tool calls when it wrote nothing. */
function answerText(outputText: string | null, toolCalls: unknown): string {
  if (outputText !== null && outputText !== "") return outputText;
  return toolCalls ? JSON.stringify(toolCalls) : "";
}

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

async function drain(response: UpstreamResponse): Promise<void> {
  await response.body.dump().catch(() => {});
}

/**
 * A switched prompt: the same request, with the candidate's model, to the candidate. Nothing is sent to
 * the client until the candidate has proved itself for this request: a complete, contract-valid reply
 * (non-streamed, or streamed under a JSON contract), or a first body byte (text streams: past it a
 * fallback would duplicate output). Any failure before then (error status, time-out, unreachable,
 * contract violation) sends the same request to the baseline, answered as `x-proofgate-route: fallback`.
 */
export async function serveRouted(c: Context<AppEnv>, spec: EndpointSpec, ctx: ProxyContext, prepared: Prepared, route: ActiveRoute): Promise<Response> {
  const { incoming, outgoing } = bindings(c);
  const id = c.get("requestId");
  const aborter = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    aborter.abort(new Error(`the candidate did not answer within ${route.timeoutMs} ms`));
  }, route.timeoutMs);
  let clientLeft = false;
  const onClientClose = () => {
    if (outgoing.writableFinished) return;
    // Nobody is left to answer: stop paying for the candidate, and do not count it against the candidate.
    clientLeft = true;
    aborter.abort(new Error("the client closed the connection"));
  };
  outgoing.on("close", onClientClose);
  const exchange: Exchange = {
    id,
    spec,
    createdAt: new Date(),
    startedAt: c.get("startedAt"),
    requestBody: prepared.raw,
    requestedModel: prepared.model,
    stream: prepared.stream,
    identity: prepared.identity,
    decision: { route: "candidate", model: route.candidateModel },
    clientKeyId: c.get("clientKeyId"),
    status: 0,
    headers: null,
    // Held for the contract check, then kept for the capture, within the request's reservation.
    reply: new KeptReply(prepared.reservation, ctx.captureReplyBytes),
    firstByteAt: null,
    endedAt: 0,
    failure: null,
    reservation: prepared.reservation,
  };
  const kept = exchange.reply;
  const own = {
    "x-proofgate-request-id": id,
    "x-proofgate-prompt": headerValue(prepared.identity.promptId),
    "x-proofgate-route": "candidate",
    "x-proofgate-model": headerValue(route.candidateModel),
  };
  let response: UpstreamResponse | null = null;
  // What the capture reads the body by: the candidate's headers, or those of the translated reply.
  let sentHeaders: Record<string, string | string[] | undefined> | null = null;
  try {
    const wire = candidateWire(spec, route, prepared.body, incoming.headers, ctx.upstreams);
    exchange.servedProvider = wire.provider;
    exchange.upstreamModel = wire.model;
    response = await ctx.upstreams.request({
      provider: wire.provider,
      path: wire.spec.upstreamPath,
      method: "POST",
      headers: wire.headers,
      body: wire.body,
      signal: aborter.signal,
    });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await drain(response);
      throw new Fallback("error", `the candidate answered ${response.statusCode}`);
    }
    const type = response.headers["content-type"];
    const eventStream = typeof type === "string" && type.startsWith("text/event-stream");
    const iterator = response.body[Symbol.asyncIterator]();
    if (!prepared.stream || route.json) {
      // Held whole: checked against the contract before a byte is sent.
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        exchange.firstByteAt ??= performance.now();
        kept.add(next.value as Buffer);
        // A reply that cannot be held cannot be checked: the baseline, relayed as it comes, answers instead.
        if (kept.dropped) throw new Fallback("error", `the candidate's reply cannot be held to check it: ${kept.dropped}`);
      }
      const encoding = response.headers["content-encoding"];
      const text = decodeBody(kept.chunks, typeof encoding === "string" ? encoding : undefined);
      const raw = assemble(wire.spec.endpoint, text, eventStream);
      // A translated reply is checked as the client receives it and as calibration scored it (in the
      // client's format: a structured-output tool's input is the message content there).
      const reply = wire.same || raw.error ? null : wire.reply(text, eventStream);
      const assembled = reply ? assemble(spec.endpoint, reply.toString("utf8"), eventStream) : raw;
      const verdict = route.check(answerText(assembled.outputText, assembled.toolCalls));
      if (assembled.error || !verdict.ok) {
        throw new Fallback("contract", `the candidate's reply breaks the format contract: ${assembled.error ?? verdict.violations.join("; ")}`);
      }
      clearTimeout(timer);
      if (!reply) {
        outgoing.writeHead(response.statusCode, copyResponseHeaders(response.headers, own));
        outgoing.end(kept.chunks.length === 1 ? kept.chunks[0] : Buffer.concat(kept.chunks));
      } else {
        // Translated into the client's format: the candidate's length and encoding no longer apply.
        kept.replace([reply]);
        sentHeaders = { "content-type": eventStream ? "text/event-stream" : "application/json" };
        outgoing.writeHead(response.statusCode, { ...sentHeaders, ...own });
        outgoing.end(reply);
      }
    } else {
      const translator = wire.same ? null : wire.stream();
      const out = (chunk: Buffer): Buffer => (translator ? Buffer.from(translator.push(chunk.toString("utf8"))) : chunk);
      const first = await iterator.next();
      if (first.done) throw new Fallback("error", "the candidate's stream ended before its first byte");
      clearTimeout(timer);
      exchange.firstByteAt = performance.now();
      if (translator) sentHeaders = { "content-type": "text/event-stream", "cache-control": "no-cache" };
      outgoing.writeHead(response.statusCode, sentHeaders ? { ...sentHeaders, ...own } : copyResponseHeaders(response.headers, own));
      outgoing.flushHeaders();
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
      } catch (error) {
        // Past the first byte there is no going back: cut the connection, as for a broken baseline stream.
        if (clientLeft) exchange.failure = "the client closed the connection before the response ended";
        else {
          exchange.failure = `the candidate's stream broke off: ${(error as Error).message}`;
          ctx.metrics.upstreamErrors.inc({ provider: wire.spec.provider, kind: "stream" });
        }
        outgoing.destroy();
      }
    }
  } catch (error) {
    clearTimeout(timer);
    outgoing.off("close", onClientClose);
    if (response) await drain(response);
    if (clientLeft || outgoing.destroyed) {
      exchange.status = 499;
      exchange.failure = "the client closed the connection before the candidate answered";
      exchange.endedAt = performance.now();
      captureLater(exchange, ctx.capture);
      return RESPONSE_ALREADY_SENT;
    }
    const fallback =
      error instanceof Fallback
        ? error
        : timedOut
          ? new Fallback("timeout", `the candidate did not answer within ${route.timeoutMs} ms`)
          : new Fallback("error", `the candidate could not be reached: ${(error as Error).message}`);
    route.report({ fallback: true, reason: fallback.reason });
    // What was held of the candidate's reply leaves the budget; the baseline's exchange keeps the reservation.
    kept.drop(fallback.message);
    const fields = c.get("logFields") ?? {};
    c.set("logFields", { ...fields, route: "fallback", model: prepared.model, fallback: fallback.message });
    return forward(c, spec, ctx, { ...prepared, decision: { route: "fallback", model: prepared.model } });
  }
  outgoing.off("close", onClientClose);
  exchange.status = response.statusCode;
  exchange.headers = sentHeaders ?? response.headers;
  exchange.endedAt = performance.now();
  captureLater(exchange, ctx.capture);
  if (!exchange.failure) route.report({ fallback: false, captureId: id });
  return RESPONSE_ALREADY_SENT;
}
