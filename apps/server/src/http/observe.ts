import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "./env.ts";
import type { HttpMetrics } from "./metrics.ts";

/**
 * One log line and the metrics of a request, written when its response has finished: for a stream that is
 * the last event, not the moment the handler returned. No headers are logged, so no key can leak.
 */
export function observe(logger: Logger, metrics: HttpMetrics): MiddlewareHandler<AppEnv> {
  // prom-client hashes the label set on every call; the few route/status pairs are bound once instead.
  const counters = new Map<string, { inc(): void }>();
  const histograms = new Map<string, { observe(value: number): void }>();
  const bound: Bound = {
    count(route, status) {
      const key = `${route} ${status}`;
      let child = counters.get(key);
      if (!child) counters.set(key, (child = metrics.requests.labels({ route, status: String(status) })));
      child.inc();
    },
    time(route, seconds) {
      let child = histograms.get(route);
      if (!child) histograms.set(route, (child = metrics.duration.labels({ route })));
      child.observe(seconds);
    },
  };
  return async (c, next) => {
    const outgoing = c.env?.outgoing;
    try {
      await next();
    } finally {
      if (outgoing) {
        if (outgoing.writableFinished || outgoing.destroyed) record(c, logger, bound, outgoing.statusCode, true);
        else outgoing.once("close", () => record(c, logger, bound, outgoing.statusCode, outgoing.writableFinished));
      } else {
        record(c, logger, bound, c.res.status, true);
      }
    }
  };
}

interface Bound {
  count(route: string, status: number): void;
  time(route: string, seconds: number): void;
}

function record(c: Context<AppEnv>, logger: Logger, metrics: Bound, status: number, finished: boolean) {
  const seconds = (performance.now() - c.get("startedAt")) / 1000;
  // routePath is the matched pattern, so the label set stays small whatever paths clients try.
  const route = c.req.routePath;
  metrics.count(route, status);
  metrics.time(route, seconds);
  const line: Record<string, unknown> = {
    reqId: c.get("requestId"),
    method: c.req.method,
    path: c.req.path,
    status,
    ms: Math.round(seconds * 1e5) / 100,
    ...c.get("logFields"),
  };
  if (!finished) line["aborted"] = true;
  if (c.get("clientKeyId")) line["keyId"] = c.get("clientKeyId");
  if (status >= 500) logger.warn(line, "request");
  else logger.info(line, "request");
}
