import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { rowsOf, type Db } from "./client.ts";
import { ensureCapturePartitions } from "./queries/partitions.ts";

/** The repository's migrations/ folder (drizzle-kit output, committed). */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "migrations");

const LOCK_KEY = 0x70726f6f; // "proo": one advisory lock id for every proofgate process.

interface Dialect {
  migrate(migrations: unknown, session: unknown, config: unknown): Promise<void>;
}

/**
 * Applies pending migrations (the same files on Postgres and PGlite), then makes sure capture partitions
 * exist for the months ahead. Several proxies may start at once: they queue on a transaction-level
 * advisory lock and the later ones find nothing left to do.
 */
export async function migrate(db: Db, options: { monthsAhead?: number } = {}): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    // drizzle's own migrator (the same code for every pg driver), run inside the locked transaction: it
    // needs execute, all and transaction from a session, which the transaction itself provides.
    type Query = Parameters<typeof tx.execute>[0];
    const session = {
      execute: (q: Query) => tx.execute(q),
      all: async (q: Query) => rowsOf(await tx.execute(q)),
      transaction: <T>(fn: (t: unknown) => Promise<T>) => fn(session),
    };
    const dialect = (db as unknown as { dialect: Dialect }).dialect;
    await dialect.migrate(migrations, session, { migrationsFolder: MIGRATIONS_DIR });
  });
  await ensureCapturePartitions(db, options.monthsAhead ?? 3);
}
