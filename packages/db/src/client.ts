import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { RemotePGlite } from "./pglite-remote.ts";
import { LimitedPool } from "./postgres-time-limit.ts";
import * as schema from "./schema/index.ts";
import { DB_TIME_LIMIT_MS } from "./time-limit.ts";

export type Schema = typeof schema;
/** The drizzle database both drivers share; queries take it as their first argument. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /** Where the data lives, for logs: the database URL without its password, or the PGlite directory. */
  location: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; unset means embedded PGlite under dataDir. */
  databaseUrl?: string | undefined;
  /** PROOFGATE_DATA_DIR; PGlite keeps its files in <dataDir>/pglite. */
  dataDir: string;
  /** Pool size for postgres.js. */
  max?: number;
  /** The default time limit of one database call (DB_TIME_LIMIT_MS); withTimeLimit overrides it per call. */
  timeLimitMs?: number;
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** Opens the database the configuration names: postgres.js when DATABASE_URL is set, else PGlite. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  const timeLimitMs = options.timeLimitMs ?? DB_TIME_LIMIT_MS;
  if (options.databaseUrl) {
    const url = options.databaseUrl;
    const pool = new LimitedPool(
      () =>
        postgres(url, {
          max: options.max ?? 10,
          // A Postgres outage must surface quickly as an error (the capture writer spools), not hang a batch.
          connect_timeout: 5,
          idle_timeout: 60,
          // postgres.js looks up array types on every new connection; if that connection drops mid-lookup
          // the rejection escapes as unhandled and would kill the process during an outage. The cost: a JS
          // array cannot be bound as one array parameter, so queries use inArray() (one parameter per item).
          fetch_types: false,
          onnotice: () => {},
          // The server cancels a statement that runs too long (a lock wait, a runaway query) by itself;
          // the pool gives up a little later when the server or the network does not answer at all.
          connection: { statement_timeout: timeLimitMs },
        }),
      timeLimitMs + 1_000,
    );
    const db = drizzlePostgres(pool.sql, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      location: redact(options.databaseUrl),
      close: () => pool.end(5),
    };
  }
  const dir = resolve(join(options.dataDir, "pglite"));
  mkdirSync(dir, { recursive: true });
  const release = lockDataDir(dir);
  try {
    // On its own thread: PGlite would otherwise block this one for every statement it runs.
    const client = await RemotePGlite.create(dir, { timeLimitMs });
    // Loaded only here: a process on DATABASE_URL never loads PGlite's driver.
    const { drizzle: drizzlePglite } = await import("drizzle-orm/pglite");
    const db = drizzlePglite(client as unknown as PGlite, { schema }) as unknown as Db;
    return {
      db,
      kind: "pglite",
      location: dir,
      close: async () => {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** The embedded database is already open in another live process; opening it twice would corrupt it. */
export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is single-process: a lock file holding the owner's pid keeps a second process (a CLI command
 * while `proofgate start` runs) from opening the same files. A lock left by a dead process is taken over.
 */
function lockDataDir(dir: string): () => void {
  const path = join(dir, "proofgate.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(path, "utf8").trim());
      if (owner && owner !== process.pid && alive(owner)) {
        throw new DataDirInUseError(
          `the embedded database in ${dir} is in use by process ${owner} (a running proofgate?); stop it first, or set DATABASE_URL to a Postgres server`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirInUseError(`could not lock the embedded database in ${dir}`);
}

/** Rows of a raw db.execute() result, which postgres.js returns as an array and PGlite as { rows }. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
