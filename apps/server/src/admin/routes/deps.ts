import type { FileConfig } from "@proofgate/config";
import type { Db } from "@proofgate/db";
import type { PriceBook } from "@proofgate/providers";

/** What the routing resources need beyond the database: policy, prices, and a way to reload this process. */
export interface RoutingAdminDeps {
  db: Db;
  config: FileConfig;
  prices: PriceBook;
  /** Awaited before answering, so the next request to this process already sees the change. */
  changed?: (promptId: string) => void | Promise<void>;
}
