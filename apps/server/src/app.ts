import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { createDashboard } from "@proofgate/dashboard";
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableReason } from "@proofgate/db";
import { ProofgateError, upstreamsFromConfig, warnAboutProviders } from "@proofgate/core";
import { PriceBook } from "@proofgate/providers";
import { Hono, type Context } from "hono";
import { adminRoutes } from "./admin/index.ts";
import type { AppDeps } from "./deps.ts";
import { adminAuth } from "./http/auth.ts";
import type { AppEnv } from "./http/env.ts";
import { httpErrorFrom } from "./http/domain-errors.ts";
import { HttpError, renderError } from "./http/errors.ts";
import { httpMetrics } from "./http/metrics.ts";
import { observe } from "./http/observe.ts";
import { requestId } from "./http/request-id.ts";
import type { ProxyContext } from "./proxy/context.ts";
import { baselineRoutes } from "./proxy/route-table.ts";
import { startFromDashboard } from "./admin/calibrations/dashboard.ts";
import { dashboardRouting } from "./routing/dashboard.ts";
import { InFlightBudget } from "./proxy/in-flight.ts";
import { proxyRoutes } from "./proxy/routes.ts";
import { chargeCaptures, KeyLimiter, keyLimitMetrics, keyLimits, LimitCounters } from "./limits/index.ts";

// Still exported here while start-up and the proxy tests import it from the app; its home is core.
export { upstreamsFromConfig } from "@proofgate/core";

function errorResponse(c: Context<AppEnv>, error: HttpError): Response {
  const { status, headers, body } = renderError(error, c.get("protocol") ?? "openai", c.get("requestId") ?? "unknown");
  return new Response(body, { status, headers });
}

export function createApp(deps: AppDeps) {
  const metrics = httpMetrics(deps.metrics);
  const upstreams = deps.upstreams ?? upstreamsFromConfig(deps.config);
  const prices = new PriceBook(deps.config.file.models, upstreams.registry.priceIds());
  warnAboutProviders(deps.config, upstreams, prices, deps.logger);
  const limits = deps.config.file.limits;
  metrics.inFlight.budget.set(limits.inFlightBytes);
  const budget = new InFlightBudget(limits.inFlightBytes, limits.inFlightWaitMs, {
    inFlight: metrics.inFlight.bytes,
    peak: metrics.inFlight.peak,
    waited: metrics.inFlight.waits,
    refused: metrics.inFlight.refused,
  });
  const limiter = deps.limiter ?? new KeyLimiter(new LimitCounters({ logger: deps.logger }));
  const ctx: ProxyContext = {
    upstreams,
    routes: deps.routes ?? baselineRoutes,
    capture: { sink: deps.captures, prices, logger: deps.logger, metrics, charge: chargeCaptures(limiter) },
    metrics,
    timeoutMs: deps.config.file.upstream.timeoutMs,
    budget,
    captureReplyBytes: limits.captureReplyBytes,
  };

  const app = new Hono<AppEnv>();
  app.use("*", requestId());
  app.use("*", observe(deps.logger, metrics));

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/metrics", async (c) => c.body(await deps.metrics.metrics(), 200, { "content-type": deps.metrics.contentType }));
  app.route("/v1", proxyRoutes(ctx, deps.keys, deps.config.env.PROOFGATE_DEV_KEY, keyLimits(limiter, keyLimitMetrics(deps.metrics))));
  app.use("/api/*", adminAuth(deps.config.env.PROOFGATE_ADMIN_TOKEN));
  if (deps.db) {
    const db = deps.db;
    const changed = () => ctx.routes.refresh?.();
    app.route("/api", adminRoutes({ db, routing: { config: deps.config.file, prices, changed }, calibrations: deps.calibrations, limiter }));
    const starter = deps.calibrations;
    const startCalibration = starter ? (promptId: string) => startFromDashboard(starter, promptId) : undefined;
    const routing = dashboardRouting({ db, config: deps.config.file, prices, changed });
    const keyUse = (keyId: string) => limiter.use(keyId);
    app.route("/", createDashboard({ db, adminToken: deps.config.env.PROOFGATE_ADMIN_TOKEN, logger: deps.logger, routing, startCalibration, keyUse }));
  } else {
    app.all("/api/*", () => {
      throw new HttpError("unavailable", "The admin API needs a database, and this server was started without one.", {
        code: "no_database",
        retry: false,
      });
    });
  }

  app.notFound((c) => {
    const message = `Unknown route: ${c.req.method} ${c.req.path}.`;
    return errorResponse(c, new HttpError("not_found", message, { code: "unknown_url" }));
  });
  app.onError((error, c) => {
    if (error instanceof ProofgateError) {
      c.set("logFields", { ...c.get("logFields"), error: error.code });
      return errorResponse(c, httpErrorFrom(error));
    }
    if (error instanceof HttpError) {
      c.set("logFields", { ...c.get("logFields"), error: error.code ?? error.kind });
      return errorResponse(c, error);
    }
    // A database that cannot be reached is an outage to wait out, wherever the query ran: one warning, and
    // a 503 with retry advice. Anything else is proofgate's own fault: logged with its stack, never shown.
    const unavailable = databaseUnavailableReason(error);
    if (unavailable !== null) {
      c.set("logFields", { ...c.get("logFields"), error: "database_unavailable" });
      deps.logger.warn({ reqId: c.get("requestId"), reason: unavailable }, "database unavailable");
    } else {
      deps.logger.error({ reqId: c.get("requestId"), err: error }, "unhandled error");
    }
    const outgoing = c.env?.outgoing;
    if (outgoing?.headersSent) {
      outgoing.destroy();
      return RESPONSE_ALREADY_SENT;
    }
    if (unavailable !== null) {
      const message = "The database is not answering just now, so this request could not be served; retry shortly.";
      return errorResponse(c, new HttpError("unavailable", message, { code: "database_unavailable", retry: true, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS }));
    }
    const message = `proofgate failed to handle this request; it is logged under request id ${c.get("requestId")}.`;
    return errorResponse(c, new HttpError("internal", message, { code: "internal_error" }));
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
