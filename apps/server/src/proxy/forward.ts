import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import {
  classifyUpstreamError,
  routeRequest,
  upstreamRequestHeaders,
  validateRequest,
  type EndpointSpec,
  type Provider,
} from "@proofgate/providers";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { HttpError } from "../http/errors.ts";
import { headerValue } from "../http/header-value.ts";
import { identifyPrompt } from "../prompts/identify.ts";
import { captureLater, type Exchange } from "./capture.ts";
import { KeptReply, type Reservation } from "./in-flight.ts";
import { checkModelName, promptNameFromHeader } from "./names.ts";
import { readBody } from "./read-body.ts";
import { relay } from "./relay.ts";
import type { PromptIdentity } from "../prompts/identify.ts";
import type { RouteDecision } from "./route-table.ts";
import { serveRouted } from "./routed.ts";
import type { ProxyContext } from "./context.ts";

const providerName = { openai: "OpenAI", anthropic: "Anthropic" } as const satisfies Record<Provider, string>;

/** The raw request and response; every proxy route streams through them. */
export function bindings(c: Context<AppEnv>) {
  const { incoming, outgoing } = c.env ?? {};
  if (!incoming || !outgoing) throw new HttpError("internal", "Proxy routes run only under the Node.js HTTP server.");
  return { incoming, outgoing };
}

/** Upstream failure before any response: 504 when it was too slow, 502 when it could not be reached. */
export function upstreamFailure(provider: Provider, kind: "timeout" | "unreachable", error: unknown, timeoutMs: number, registryName?: string) {
  const name = registryName && registryName !== provider ? registryName : providerName[provider];
  if (kind === "timeout") {
    return new HttpError("gateway_timeout", `The ${name} upstream did not answer within ${timeoutMs} ms.`, {
      code: "upstream_timeout",
    });
  }
  const reason = (error as { code?: string } | null)?.code ?? (error as Error | null)?.message ?? "unknown error";
  return new HttpError("bad_gateway", `The ${name} upstream could not be reached (${reason}).`, {
    code: "upstream_unreachable",
  });
}

/** A request already read, checked and routed: the fallback path re-enters forward() with it. */
export interface Prepared {
  raw: Buffer;
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  identity: PromptIdentity;
  decision: RouteDecision;
  /** The request's share of the in-flight budget, released when its capture is handed over. */
  reservation: Reservation;
  /** The registry provider the baseline goes to, the model id it is sent as, and the body when that changed it. */
  upstream: { provider: string; model: string; body: Buffer | null };
}

/** Reads, checks and names the request, and picks its model; the reservation is released if it fails. */
async function prepare(c: Context<AppEnv>, spec: EndpointSpec, ctx: ProxyContext): Promise<Prepared> {
  const { incoming } = bindings(c);
  const { raw, reservation } = await readBody(incoming, ctx.budget);
  try {
    const valid = validateRequest(spec.endpoint, raw);
    if (!valid.ok) throw new HttpError("invalid_request", valid.message, { param: valid.param, code: valid.code });
    checkModelName(valid.model);
    const to = routeRequest(ctx.upstreams.registry, spec.provider, spec.endpoint, valid.model);
    if (!to.ok) throw new HttpError(to.kind, to.message, { code: to.code, param: to.param ?? null, retry: false });
    const upstream = { provider: to.target.provider, model: to.target.model, body: to.target.mapped ? Buffer.from(JSON.stringify({ ...valid.body, model: to.target.model })) : null };
    const promptHeader = promptNameFromHeader(incoming.headers["x-proofgate-prompt"]);
    const identity = identifyPrompt({ endpoint: spec.endpoint, body: valid.body, promptHeader });
    // Routing: an in-memory lookup, before the upstream call.
    const decision = ctx.routes.resolve(identity.promptId, valid.model);
    c.set("logFields", { endpoint: spec.endpoint, model: decision.model, prompt: identity.promptId, route: decision.route });
    return { raw, body: valid.body, model: valid.model, stream: valid.stream, identity, decision, reservation, upstream };
  } catch (error) {
    reservation.release();
    throw error;
  }
}

/**
 * One proxied exchange: read and check the body, name the prompt, pick the model, call the upstream with
 * the body bytes unchanged, relay the answer as it arrives, and capture it after the last byte.
 */
export async function forward(c: Context<AppEnv>, spec: EndpointSpec, ctx: ProxyContext, prepared?: Prepared): Promise<Response> {
  const { incoming, outgoing } = bindings(c);
  if (!prepared) {
    const request = await prepare(c, spec, ctx);
    if (request.decision.routed) return serveRouted(c, spec, ctx, request, request.decision.routed);
    // The baseline sends the raw bytes: the parsed body, as large as the request, is let go now rather
    // than held (by this frame) until the upstream answers.
    request.body = {};
    prepared = request;
  }
  const { raw, identity, decision, reservation } = prepared;
  const id = c.get("requestId");
  const kept = new KeptReply(reservation, ctx.captureReplyBytes);
  const exchange: Exchange = {
    id,
    spec,
    createdAt: new Date(),
    startedAt: c.get("startedAt"),
    requestBody: raw,
    requestedModel: prepared.model,
    stream: prepared.stream,
    identity,
    decision,
    clientKeyId: c.get("clientKeyId"),
    status: 0,
    headers: null,
    reply: kept,
    firstByteAt: null,
    endedAt: 0,
    failure: null,
    reservation,
    servedProvider: prepared.upstream.provider,
    upstreamModel: prepared.upstream.model,
  };
  const provider = prepared.upstream.provider;
  try {
    await relay(
      ctx.upstreams,
      {
        provider,
        path: spec.upstreamPath,
        method: "POST",
        headers: upstreamRequestHeaders(spec.provider, incoming.headers, ctx.upstreams.apiKey(provider)),
        // The baseline (asked for, or a fallback) gets the client's bytes unchanged, unless its model is mapped.
        body: prepared.upstream.body ?? raw,
      },
      outgoing,
      {
        keep: kept,
        own: {
          "x-proofgate-request-id": id,
          "x-proofgate-prompt": headerValue(identity.promptId),
          "x-proofgate-route": decision.route,
          "x-proofgate-model": headerValue(decision.model),
        },
        done(result) {
          exchange.status = result.status;
          exchange.headers = result.headers;
          exchange.firstByteAt = result.firstByteAt;
          exchange.endedAt = result.endedAt;
          exchange.failure = result.failure;
          if (result.status >= 500) ctx.metrics.upstreamErrors.inc({ provider, kind: "status" });
          if (result.brokenBy === "upstream") ctx.metrics.upstreamErrors.inc({ provider, kind: "stream" });
          if (result.firstByteAt !== null) ctx.metrics.upstreamTtfb.observe({ provider }, (result.firstByteAt - exchange.startedAt) / 1000);
          captureLater(exchange, ctx.capture);
        },
      },
    );
  } catch (error) {
    exchange.endedAt = performance.now();
    if (error instanceof HttpError) {
      exchange.status = error.status;
      exchange.failure = error.message;
      captureLater(exchange, ctx.capture);
      throw error;
    }
    const kind = classifyUpstreamError(error);
    if (kind === "aborted") {
      // 499: the client closed the request (nginx's convention); there is nobody left to answer.
      exchange.status = 499;
      exchange.failure = "the client closed the connection before the upstream answered";
      captureLater(exchange, ctx.capture);
      return RESPONSE_ALREADY_SENT;
    }
    ctx.metrics.upstreamErrors.inc({ provider, kind });
    const failure = upstreamFailure(spec.provider, kind, error, ctx.timeoutMs, provider);
    exchange.status = failure.status;
    exchange.failure = failure.message;
    captureLater(exchange, ctx.capture);
    throw failure;
  }
  return RESPONSE_ALREADY_SENT;
}
