import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { classifyUpstreamError, upstreamRequestHeaders } from "@proofgate/providers";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { HttpError } from "../http/errors.ts";
import { bindings } from "./bindings.ts";
import type { ProxyContext } from "./context.ts";
import { openExchange, ownHeaders } from "./exchange.ts";
import { settle } from "./outcome.ts";
import type { Prepared } from "./prepare.ts";
import { relay } from "./relay.ts";
import type { RouteDecision } from "./route-table.ts";
import { upstreamFailure } from "./upstream-failure.ts";

/**
 * The model the client asked for (as asked, or after a candidate fell back) answers: the client's bytes
 * go upstream unchanged (rewritten only when the registry maps the model id), and the answer is relayed
 * as it arrives and captured after its last byte.
 * Throws the HttpError of a failure before any byte.
 */
export async function serveBaseline(c: Context<AppEnv>, request: Prepared, decision: RouteDecision, ctx: ProxyContext): Promise<Response> {
  const { incoming, outgoing } = bindings(c);
  // The baseline sends the raw bytes: the parsed body, as large as the request, is let go now rather than
  // held until the upstream answers.
  request.body = {};
  const { upstream, wire } = request;
  const exchange = openExchange(c, request, decision, ctx.captureReplyBytes, upstream);
  // The registry's provider: its pool, key and name; the wire's provider: the headers it is spoken with.
  const provider = upstream.provider;
  try {
    await relay(
      ctx.upstreams,
      {
        provider,
        path: wire.upstreamPath,
        method: "POST",
        headers: upstreamRequestHeaders(wire.provider, incoming.headers, ctx.upstreams.apiKey(provider)),
        body: upstream.body ?? request.raw,
      },
      outgoing,
      {
        keep: exchange.reply,
        own: ownHeaders(exchange.id, request.identity, decision),
        done: (result) => settle(ctx, exchange, { kind: "relayed", result }),
      },
    );
  } catch (error) {
    if (error instanceof HttpError) {
      settle(ctx, exchange, { kind: "failed", status: error.status, failure: error.message });
      throw error;
    }
    const kind = classifyUpstreamError(error);
    if (kind === "aborted") {
      settle(ctx, exchange, { kind: "client_left", failure: "the client closed the connection before the upstream answered" });
      return RESPONSE_ALREADY_SENT;
    }
    const failure = upstreamFailure(wire.provider, kind, error, ctx.timeoutMs, provider);
    settle(ctx, exchange, { kind: "failed", status: failure.status, failure: failure.message, errorKind: kind });
    throw failure;
  }
  return RESPONSE_ALREADY_SENT;
}
