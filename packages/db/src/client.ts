import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

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
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** Opens the database the configuration names: postgres.js when DATABASE_URL is set, else PGlite. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.max ?? 10,
      // A Postgres outage must surface quickly as an error (the capture writer spools), not hang a batch.
      connect_timeout: 5,
      idle_timeout: 60,
      // postgres.js looks up array types on every new connection; if that connection drops mid-lookup
      // the rejection escapes as unhandled and would kill the process during an outage. Drizzle does
      // not need it: arrays are sent as literals.
      fetch_types: false,
      onnotice: () => {},
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      location: redact(options.databaseUrl),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dir = resolve(join(options.dataDir, "pglite"));
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", location: dir, close: () => client.close() };
}

/** Rows of a raw db.execute() result, which postgres.js returns as an array and PGlite as { rows }. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
