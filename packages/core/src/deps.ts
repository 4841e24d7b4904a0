import type { FileConfig } from "@proofgate/config";
import type { Db } from "@proofgate/db";
import type { PriceBook, Upstreams } from "@proofgate/providers";
import type { QueueDriver } from "@proofgate/queue";

/** What the calibration steps need: the truth (Postgres), the queue, the upstream pools and their prices, the policy. */
export interface CalibrationDeps {
  db: Db;
  queue: Pick<QueueDriver, "enqueue">;
  /** Only these two methods, so a test can count or wrap the calls. */
  upstreams: Pick<Upstreams, "apiKey" | "request" | "registry">;
  prices: PriceBook;
  config: FileConfig;
}

/** What routing decisions need; `changed` reloads this process's table after a committed change. */
export interface RoutingDeps {
  db: Db;
  config: FileConfig;
  prices: PriceBook;
  changed?: (promptId: string) => void | Promise<void>;
}

/** The two calls core makes on a logger (pino's signature), so core does not depend on pino. */
export interface LogSink {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}
