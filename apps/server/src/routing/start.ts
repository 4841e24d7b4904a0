import { providerOf, type Config } from "@proofgate/config";
import type { Db } from "@proofgate/db";
import type { QueueDriver } from "@proofgate/queue";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { watchAutoApprove } from "./auto-approve.ts";
import { RouteCache } from "./cache.ts";
import { routingMetrics } from "./metrics.ts";

/**
 * The process's routing table, loaded before the first request is served. With DATABASE_URL it LISTENs
 * for changes made by any process; on PGlite (one process) the admin API's refresh is enough. Shadow
 * jobs go on the queue the calibration workers use, when this process has one.
 */
export async function startRouteCache(o: { config: Config; db: Db; logger: Logger; metrics: Registry; queue?: QueueDriver | undefined }): Promise<RouteCache> {
  const { routing } = o.config.file;
  const queue = o.queue;
  const cache = new RouteCache({
    db: o.db,
    logger: o.logger,
    metrics: routingMetrics(o.metrics),
    databaseUrl: o.config.env.DATABASE_URL,
    shadowShare: routing.shadowShare,
    fallbackRevertRate: routing.fallbackRevertRate,
    fallbackWindow: routing.fallbackWindow,
    candidateTimeoutMs: routing.candidateTimeoutMs,
    providerOf: (model) => providerOf(o.config.file, model),
    ...(queue
      ? {
          shadow: (job) => {
            queue
              .enqueue("shadow", { ...job, provider: providerOf(o.config.file, job.baselineModel) })
              .catch((err: unknown) => o.logger.warn({ err, prompt: job.promptId }, "shadow job not enqueued"));
          },
        }
      : {}),
  });
  await cache.start();
  const stopAuto = watchAutoApprove({ db: o.db, config: o.config.file, changed: () => cache.refresh() }, o.logger);
  const close = cache.close.bind(cache);
  cache.close = async () => {
    stopAuto();
    await close();
  };
  return cache;
}
