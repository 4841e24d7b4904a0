import type { Command } from "./context.ts";
import { openMigrated } from "./context.ts";

export const migrateCommand: Command = {
  summary: "apply database migrations (Postgres at DATABASE_URL, else the embedded database)",
  usage: "proofgate migrate",
  async run(_args, ctx) {
    const database = await openMigrated(ctx);
    await database.close();
    ctx.out(`migrations applied (${database.kind}: ${database.location})`);
    return 0;
  },
};
