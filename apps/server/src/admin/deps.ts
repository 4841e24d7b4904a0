import type { Db } from "@proofgate/db";

/** What the admin API needs: the database (queries live in packages/db). */
export interface AdminDeps {
  db: Db;
}
