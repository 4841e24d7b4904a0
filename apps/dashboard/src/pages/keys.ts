import { listClientKeys, type Db } from "@proofgate/db";
import type { Hono, MiddlewareHandler } from "hono";
import type { Sessions } from "../auth/session.ts";
import type { DashboardEnv, KeyUse } from "../env.ts";
import { keysPage } from "../views/keys.ts";

/** The client keys with their limits and their use now (active keys first, as the listing orders them). */
export function keyRoutes(
  app: Hono<DashboardEnv>,
  db: Db,
  sessions: Sessions,
  headers: MiddlewareHandler<DashboardEnv>,
  keyUse: ((keyId: string) => Promise<KeyUse>) | undefined,
): void {
  app.get("/keys", headers, sessions.require(), async (c) => {
    const rows = await listClientKeys(db);
    const uses = await Promise.all(rows.map((r) => (keyUse && r.revokedAt === null ? keyUse(r.id) : Promise.resolve(null))));
    return c.html(
      keysPage(
        c.var.csrf,
        rows.map((row, i) => ({ row, use: uses[i] ?? null })),
        keyUse !== undefined,
      ),
    );
  });
}
