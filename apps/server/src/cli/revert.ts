import { parseArgs } from "node:util";
import { revert } from "../routing/approve.ts";
import { openMigrated, UsageError, type Command } from "./context.ts";

const USAGE = "proofgate revert <prompt-id> [--reason <text>]";

export const revertCommand: Command = {
  summary: "route a prompt back to its baseline",
  usage: USAGE,
  async run(args, ctx) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { reason: { type: "string" } }, strict: true });
    const [promptId] = positionals;
    if (!promptId || positionals.length > 1) throw new UsageError(USAGE);
    const database = await openMigrated(ctx);
    try {
      const row = await revert({ db: database.db }, { promptId, actor: "cli", ...(values.reason ? { reason: values.reason } : {}) });
      if (!row) {
        ctx.err(`Prompt '${promptId}' is already served by its baseline.`);
        return 0;
      }
      ctx.out(`reverted: prompt ${row.promptId} is served by its baseline ${row.baselineModel} again`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
