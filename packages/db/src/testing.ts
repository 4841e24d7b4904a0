import { randomBytes } from "node:crypto";
import postgres from "postgres";

/** The server integration tests use; trust auth on loopback. Override with TEST_DATABASE_URL. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  /** URL of a fresh, empty database of its own. */
  url: string;
  name: string;
  /** Drops the database (terminating any connection left open). */
  drop(): Promise<void>;
}

/**
 * A throwaway database on the real test Postgres, so test files running in parallel never share state.
 * Call drop() in afterAll.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `pg_${randomBytes(6).toString("hex")}`;
  const admin = postgres(TEST_SERVER_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const sql = postgres(TEST_SERVER_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}
