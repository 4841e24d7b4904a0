import type { FileConfig } from "@proofgate/config";
import type { Db } from "@proofgate/db";
import type { PriceBook, Upstreams } from "@proofgate/providers";
import type { QueueDriver } from "@proofgate/queue";

/** What the calibration steps need: the truth (Postgres), the queue, the upstreams and their prices. */
export interface CalibrationDeps {
  db: Db;
  queue: QueueDriver;
  /** The shared upstream pools (only these two methods, so a test can count or wrap the calls). */
  upstreams: Pick<Upstreams, "apiKey" | "request" | "registry">;
  prices: PriceBook;
  config: FileConfig;
}
