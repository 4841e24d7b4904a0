import { parseArgs } from "node:util";
import { approve, RouteRefusal } from "../routing/approve.ts";
import { config, openMigrated, UsageError, type Command } from "./context.ts";

const USAGE = "proofgate approve <prompt-id> <model> [--reason <text>]";

/**
 * Switches a prompt to a candidate from the command line. Running servers on the same Postgres pick the
 * change up within a second (NOTIFY); on the embedded database the server must be stopped to run this.
 */
export const approveCommand: Command = {
  summary: "route a prompt to a candidate with a passing report",
  usage: USAGE,
  async run(args, ctx) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { reason: { type: "string" } }, strict: true });
    const [promptId, model] = positionals;
    if (!promptId || !model || positionals.length > 2) throw new UsageError(USAGE);
    const database = await openMigrated(ctx);
    try {
      const row = await approve(
        { db: database.db, config: config(ctx).file },
        { promptId, model, actor: "cli", ...(values.reason ? { reason: values.reason } : {}) },
      );
      ctx.out(`approved: prompt ${row.promptId} is now served by ${row.candidateModel} (baseline ${row.baselineModel}, calibration ${row.calibrationId})`);
      return 0;
    } catch (error) {
      if (!(error instanceof RouteRefusal)) throw error;
      ctx.err(`refused: ${error.message}`);
      return 1;
    } finally {
      await database.close();
    }
  },
};
