import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import type { Wire } from "@proofgate/providers";
import type { Handler } from "hono";
import type { AppEnv } from "../http/env.ts";
import { serveCandidate } from "./candidate/serve.ts";
import type { ProxyContext } from "./context.ts";
import { prepare } from "./prepare.ts";
import { serveBaseline } from "./serve-baseline.ts";

/**
 * One proxied exchange on a wire: prepare it (read, check, identify, route), then the baseline answers, or
 * the candidate does; when the candidate falls back, the baseline answers the same request.
 */
export function proxyHandler(wire: Wire, ctx: ProxyContext): Handler<AppEnv> {
  return async (c) => {
    const request = await prepare(c, wire, ctx);
    const route = request.decision.routed;
    if (!route) return serveBaseline(c, request, request.decision, ctx);
    const attempt = await serveCandidate(c, request, route, ctx);
    if (attempt.kind !== "fell_back") return RESPONSE_ALREADY_SENT;
    route.report({ fallback: true, reason: attempt.reason });
    c.set("logFields", { ...c.get("logFields"), route: "fallback", model: request.model, fallback: attempt.message });
    return serveBaseline(c, request, { route: "fallback", model: request.model }, ctx);
  };
}
