import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { classifyUpstreamError, modelsPath, upstreamRequestHeaders } from "@proofgate/providers";
import type { Handler } from "hono";
import type { AppEnv } from "../http/env.ts";
import { bindings } from "./bindings.ts";
import { upstreamFailure } from "./upstream-failure.ts";
import type { ProxyContext } from "./context.ts";
import { relay } from "./relay.ts";

/**
 * GET /v1/models and /v1/models/:model, passed through, not captured. Both SDKs call this path; the
 * Anthropic one always sends anthropic-version, which is how the request finds its provider.
 */
export function models(ctx: ProxyContext): Handler<AppEnv> {
  return async (c) => {
    const { incoming, outgoing } = bindings(c);
    const provider = c.get("protocol");
    const model = c.req.param("model");
    const url = c.req.url;
    const search = url.includes("?") ? url.slice(url.indexOf("?")) : "";
    const path = modelsPath[provider] + (model ? `/${encodeURIComponent(model)}` : "") + search;
    c.set("logFields", { endpoint: "models", provider });
    try {
      await relay(
        ctx.upstreams,
        { provider, path, method: "GET", headers: upstreamRequestHeaders(provider, incoming.headers, ctx.upstreams.apiKey(provider)) },
        outgoing,
        { keep: null, own: { "x-proofgate-request-id": c.get("requestId") }, done: () => {} },
      );
    } catch (error) {
      const kind = classifyUpstreamError(error);
      if (kind === "aborted") return RESPONSE_ALREADY_SENT;
      ctx.metrics.upstreamErrors.inc({ provider, kind });
      throw upstreamFailure(provider, kind, error, ctx.timeoutMs);
    }
    return RESPONSE_ALREADY_SENT;
  };
}
