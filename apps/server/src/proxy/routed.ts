import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { assemble, copyResponseHeaders, decodeBody, upstreamRequestHeaders, type EndpointSpec, type UpstreamResponse } from "@proofgate/providers";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { captureLater, type Exchange } from "./capture.ts";
import { bindings, forward, type Prepared, type ProxyContext } from "./forward.ts";
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
  const provider = spec.provider;
  const aborter = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    aborter.abort(new Error(`the candidate did not answer within ${route.timeoutMs} ms`));
  }, route.timeoutMs);
  const onClientClose = () => {
    if (!outgoing.writableFinished) aborter.abort(new Error("the client closed the connection"));
  };
  outgoing.on("close", onClientClose);
  const exchange: Exchange = {
    id,
    spec,
    createdAt: new Date(),
    startedAt: c.get("startedAt"),
    body: prepared.body,
    requestedModel: prepared.model,
    stream: prepared.stream,
    identity: prepared.identity,
    decision: { route: "candidate", model: route.candidateModel },
    clientKeyId: c.get("clientKeyId"),
    status: 0,
    headers: null,
    chunks: [],
    firstByteAt: null,
    endedAt: 0,
    failure: null,
  };
  const own = {
    "x-proofgate-request-id": id,
    "x-proofgate-prompt": prepared.identity.promptId,
    "x-proofgate-route": "candidate",
    "x-proofgate-model": route.candidateModel,
  };
  let response: UpstreamResponse | null = null;
  try {
    response = await ctx.upstreams.request({
      provider,
      path: spec.upstreamPath,
      method: "POST",
      headers: upstreamRequestHeaders(provider, incoming.headers, ctx.upstreams.apiKey(provider)),
      body: Buffer.from(JSON.stringify({ ...prepared.body, model: route.candidateModel })),
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
        exchange.chunks.push(next.value as Buffer);
      }
      const encoding = response.headers["content-encoding"];
      const assembled = assemble(spec.endpoint, decodeBody(exchange.chunks, typeof encoding === "string" ? encoding : undefined), eventStream);
      const verdict = route.check(answerText(assembled.outputText, assembled.toolCalls));
      if (assembled.error || !verdict.ok) {
        throw new Fallback("contract", `the candidate's reply breaks the format contract: ${assembled.error ?? verdict.violations.join("; ")}`);
      }
      clearTimeout(timer);
      outgoing.writeHead(response.statusCode, copyResponseHeaders(response.headers, own));
      outgoing.end(exchange.chunks.length === 1 ? exchange.chunks[0] : Buffer.concat(exchange.chunks));
    } else {
      const first = await iterator.next();
      if (first.done) throw new Fallback("error", "the candidate's stream ended before its first byte");
      clearTimeout(timer);
      exchange.firstByteAt = performance.now();
      outgoing.writeHead(response.statusCode, copyResponseHeaders(response.headers, own));
      outgoing.flushHeaders();
      exchange.chunks.push(first.value as Buffer);
      outgoing.write(first.value);
      try {
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          exchange.chunks.push(next.value as Buffer);
          if (!outgoing.write(next.value)) await new Promise((resolve) => outgoing.once("drain", resolve));
        }
        outgoing.end();
      } catch (error) {
        // Past the first byte there is no going back: cut the connection, as for a broken baseline stream.
        exchange.failure = `the candidate's stream broke off: ${(error as Error).message}`;
        outgoing.destroy();
      }
    }
  } catch (error) {
    clearTimeout(timer);
    outgoing.off("close", onClientClose);
    if (response) await drain(response);
    if (outgoing.destroyed) return RESPONSE_ALREADY_SENT;
    const fallback =
      error instanceof Fallback
        ? error
        : timedOut
          ? new Fallback("timeout", `the candidate did not answer within ${route.timeoutMs} ms`)
          : new Fallback("error", `the candidate could not be reached: ${(error as Error).message}`);
    route.report({ fallback: true, reason: fallback.reason });
    const fields = c.get("logFields") ?? {};
    c.set("logFields", { ...fields, route: "fallback", model: prepared.model, fallback: fallback.message });
    return forward(c, spec, ctx, { ...prepared, decision: { route: "fallback", model: prepared.model } });
  }
  outgoing.off("close", onClientClose);
  exchange.status = response.statusCode;
  exchange.headers = response.headers;
  exchange.endedAt = performance.now();
  captureLater(exchange, ctx.capture);
  if (!exchange.failure) route.report({ fallback: false, captureId: id });
  return RESPONSE_ALREADY_SENT;
}
