import type { Db } from "@proofgate/db";
import type { RoutingAdminDeps } from "./routes/deps.ts";

/** What the admin API needs: the database (queries live in packages/db). */
export interface AdminDeps {
  db: Db;
  /** Routing resources (approve, revert, routes, events); absent, they are not mounted. */
  routing?: Omit<RoutingAdminDeps, "db">;
}
