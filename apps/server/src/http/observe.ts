import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "./env.ts";
import type { HttpMetrics } from "./metrics.ts";

/**
 * One log line and the metrics of a request, written when its response has finished: for a stream that is
 * the last event, not the moment the handler returned. No headers are logged, so no key can leak.
 */
export function observe(logger: Logger, metrics: HttpMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const outgoing = c.env?.outgoing;
    try {
      await next();
    } finally {
      if (outgoing) {
        if (outgoing.writableFinished || outgoing.destroyed) record(c, logger, metrics, outgoing.statusCode, true);
        else outgoing.once("close", () => record(c, logger, metrics, outgoing.statusCode, outgoing.writableFinished));
      } else {
        record(c, logger, metrics, c.res.status, true);
      }
    }
  };
}

function record(c: Context<AppEnv>, logger: Logger, metrics: HttpMetrics, status: number, finished: boolean) {
  const seconds = (performance.now() - c.var.startedAt) / 1000;
  // routePath is the matched pattern, so the label set stays small whatever paths clients try.
  const route = c.req.routePath;
  metrics.requests.inc({ route, status: String(status) });
  metrics.duration.observe({ route }, seconds);
  const line: Record<string, unknown> = {
    reqId: c.var.requestId,
    method: c.req.method,
    path: c.req.path,
    status,
    ms: Math.round(seconds * 1e5) / 100,
    ...c.var.logFields,
  };
  if (!finished) line["aborted"] = true;
  if (c.var.clientKeyId) line["keyId"] = c.var.clientKeyId;
  if (status >= 500) logger.warn(line, "request");
  else logger.info(line, "request");
}
