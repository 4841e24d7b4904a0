import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { classifyUpstreamError, modelsPath, upstreamRequestHeaders, type UpstreamResponse } from "@proofgate/providers";
import type { Handler } from "hono";

import type { AppEnv } from "../http/env.ts";
import { bindings, upstreamFailure, writeHead, type ProxyContext } from "./forward.ts";
import { relayBody } from "./relay.ts";

/**
 * GET /v1/models and /v1/models/:model, passed through, not captured. Both SDKs call this path; the
 * Anthropic one always sends anthropic-version, which is how the request finds its provider.
 */
export function models(ctx: ProxyContext): Handler<AppEnv> {
  return async (c) => {
    const { incoming, outgoing } = bindings(c);
    const provider = c.get("protocol");
    const model = c.req.param("model");
    const search = c.req.url.includes("?") ? c.req.url.slice(c.req.url.indexOf("?")) : "";
    const path = modelsPath[provider] + (model ? `/${encodeURIComponent(model)}` : "") + search;
    c.set("logFields", { endpoint: "models", provider });
    let upstream: UpstreamResponse;
    try {
      upstream = await ctx.upstreams.request({
        provider,
        path,
        method: "GET",
        headers: upstreamRequestHeaders(provider, incoming.headers, ctx.upstreams.apiKey(provider)),
      });
    } catch (error) {
      const kind = classifyUpstreamError(error);
      if (kind === "aborted") return RESPONSE_ALREADY_SENT;
      ctx.metrics.upstreamErrors.inc({ provider, kind });
      throw upstreamFailure(provider, kind, error, ctx.timeoutMs);
    }
    writeHead(outgoing, upstream, { "x-proofgate-request-id": c.get("requestId") });
    relayBody(upstream, outgoing, false, () => {});
    return RESPONSE_ALREADY_SENT;
  };
}
