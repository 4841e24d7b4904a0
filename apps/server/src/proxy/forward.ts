import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import {
  classifyUpstreamError,
  upstreamRequestHeaders,
  validateRequest,
  type EndpointSpec,
  type Provider,
  type Upstreams,
} from "@proofgate/providers";
import type { Context } from "hono";
import type { AppEnv } from "../http/env.ts";
import { HttpError } from "../http/errors.ts";
import { headerValue } from "../http/header-value.ts";
import type { HttpMetrics } from "../http/metrics.ts";
import { identifyPrompt } from "../prompts/identify.ts";
import { captureLater, type CaptureContext, type Exchange } from "./capture.ts";
import { checkModelName, promptNameFromHeader } from "./names.ts";
import { readBody } from "./read-body.ts";
import { relay } from "./relay.ts";
import type { PromptIdentity } from "../prompts/identify.ts";
import type { RouteDecision, RouteTable } from "./route-table.ts";
import { serveRouted } from "./routed.ts";

export interface ProxyContext {
  upstreams: Upstreams;
  routes: RouteTable;
  capture: CaptureContext;
  metrics: HttpMetrics;
  timeoutMs: number;
}

const providerName = { openai: "OpenAI", anthropic: "Anthropic" } as const satisfies Record<Provider, string>;

/** The raw request and response; every proxy route streams through them. */
export function bindings(c: Context<AppEnv>) {
  const { incoming, outgoing } = c.env ?? {};
  if (!incoming || !outgoing) throw new HttpError("internal", "Proxy routes run only under the Node.js HTTP server.");
  return { incoming, outgoing };
}

/** Upstream failure before any response: 504 when it was too slow, 502 when it could not be reached. */
export function upstreamFailure(provider: Provider, kind: "timeout" | "unreachable", error: unknown, timeoutMs: number) {
  const name = providerName[provider];
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
}

/**
 * One proxied exchange: read and check the body, name the prompt, pick the model, call the upstream with
 * the body bytes unchanged, relay the answer as it arrives, and capture it after the last byte.
 */
export async function forward(c: Context<AppEnv>, spec: EndpointSpec, ctx: ProxyContext, prepared?: Prepared): Promise<Response> {
  const { incoming, outgoing } = bindings(c);
  let raw: Buffer;
  let checked: { body: Record<string, unknown>; model: string; stream: boolean };
  let identity: PromptIdentity;
  let decision: RouteDecision;
  if (prepared) {
    ({ raw, identity, decision } = prepared);
    checked = prepared;
  } else {
    raw = await readBody(incoming);
    const valid = validateRequest(spec.endpoint, raw);
    if (!valid.ok) throw new HttpError("invalid_request", valid.message, { param: valid.param, code: valid.code });
    checked = valid;
    checkModelName(valid.model);
    const promptHeader = promptNameFromHeader(incoming.headers["x-proofgate-prompt"]);
    identity = identifyPrompt({ endpoint: spec.endpoint, body: valid.body, promptHeader });
    // Routing: an in-memory lookup, before the upstream call.
    decision = ctx.routes.resolve(identity.promptId, valid.model);
    c.set("logFields", { endpoint: spec.endpoint, model: decision.model, prompt: identity.promptId, route: decision.route });
    if (decision.routed) {
      const { body, model, stream } = valid;
      return serveRouted(c, spec, ctx, { raw, body, model, stream, identity, decision }, decision.routed);
    }
  }
  const id = c.get("requestId");

  const exchange: Exchange = {
    id,
    spec,
    createdAt: new Date(),
    startedAt: c.get("startedAt"),
    requestBody: raw,
    requestedModel: checked.model,
    stream: checked.stream,
    identity,
    decision,
    clientKeyId: c.get("clientKeyId"),
    status: 0,
    headers: null,
    chunks: [],
    firstByteAt: null,
    endedAt: 0,
    failure: null,
  };
  const provider = spec.provider;
  try {
    await relay(
      ctx.upstreams,
      {
        provider,
        path: spec.upstreamPath,
        method: "POST",
        headers: upstreamRequestHeaders(provider, incoming.headers, ctx.upstreams.apiKey(provider)),
        // A routed candidate needs its own model in the body; the baseline keeps the client's bytes.
        body: decision.model === checked.model ? raw : Buffer.from(JSON.stringify({ ...checked.body, model: decision.model })),
      },
      outgoing,
      {
        keep: true,
        own: {
          "x-proofgate-request-id": id,
          "x-proofgate-prompt": headerValue(identity.promptId),
          "x-proofgate-route": decision.route,
          "x-proofgate-model": headerValue(decision.model),
        },
        done(result) {
          exchange.status = result.status;
          exchange.headers = result.headers;
          exchange.chunks = result.chunks;
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
    const failure = upstreamFailure(provider, kind, error, ctx.timeoutMs);
    exchange.status = failure.status;
    exchange.failure = failure.message;
    captureLater(exchange, ctx.capture);
    throw failure;
  }
  return RESPONSE_ALREADY_SENT;
}
