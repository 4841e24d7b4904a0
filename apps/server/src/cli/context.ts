import { loadConfig, type Config } from "@proofgate/config";
import { migrate, openDatabase, type Database } from "@proofgate/db";

/** What a command may touch, injected so commands can be run in tests without a real terminal. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

/** A CLI mistake: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface Command {
  summary: string;
  usage: string;
  /** Resolves to the exit code. */
  run(args: string[], ctx: CliContext): Promise<number>;
}

export function config(ctx: CliContext): Config {
  return loadConfig(ctx.env);
}

/** Opens the configured database and brings it to the current schema; the caller closes it. */
export async function openMigrated(ctx: CliContext): Promise<Database> {
  const c = config(ctx);
  const database = await openDatabase({ databaseUrl: c.env.DATABASE_URL, dataDir: c.env.PROOFGATE_DATA_DIR });
  try {
    await migrate(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
