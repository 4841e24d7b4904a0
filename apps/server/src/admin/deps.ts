import type { Db } from "@proofgate/db";
import type { KeyLimiter } from "../limits/limiter.ts";
import type { CalibrationStarter } from "./calibrations/deps.ts";
import type { RoutingAdminDeps } from "./routes/deps.ts";

/** What the admin API needs: the database (queries live in packages/db). */
export interface AdminDeps {
  db: Db;
  /** Routing resources (approve, revert, routes, events); absent, they are not mounted. */
  routing?: Omit<RoutingAdminDeps, "db">;
  /** Starts calibrations; absent or answering undefined, starting one is 503 (reading them still works). */
  calibrations?: CalibrationStarter | undefined;
  /** The proxy's key limit counters, read for each key's current use; absent, use is shown as unknown. */
  limiter?: KeyLimiter | undefined;
}
