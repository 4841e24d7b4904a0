import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DbTimeoutError, isTransientDbError, openDatabase, rowsOf, withTimeLimit, type Database } from "../src/index.ts";
import { createTestDatabase, holdDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from "../src/testing.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dataDir = () => mkdtempSync(join(tmpdir(), "pg-limit-"));
const one = async (d: Database) => rowsOf<{ n: number }>(await d.db.execute(sql`select 1 as n`))[0]?.n;

/** The SQLSTATE anywhere in the cause chain (drizzle wraps driver errors). */
function codeOf(error: unknown): unknown {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code) return (e as { code?: unknown }).code;
  return undefined;
}

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});

describe("database time limits on Postgres", () => {
  let relay: TcpProxy;
  beforeAll(async () => {
    const u = new URL(testDb.url);
    relay = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  });
  afterAll(async () => {
    await relay?.close();
  });

  it("a slow statement ends at the call's limit with 57014, cancelled on the server, and the pool carries on", async () => {
    const d = await openDatabase({ databaseUrl: testDb.url, dataDir: dataDir(), max: 1 });
    try {
      const started = Date.now();
      const error = await withTimeLimit(300, () => holdDatabase(d.db, 20)).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(codeOf(error)).toBe("57014");
      expect(isTransientDbError(error)).toBe(true);
      // With one connection, the next statement runs only if the cancel really ended the sleep.
      expect(await withTimeLimit(2_000, () => one(d))).toBe(1);
    } finally {
      await d.close();
    }
  });

  it("a server that stops answering: calls fail within the limit, transactions too, and the pool recovers after", async () => {
    // One connection, so a connection left stuck on the stall would stop the pool for good.
    const d = await openDatabase({ databaseUrl: relay.url(testDb.url), dataDir: dataDir(), max: 1 });
    try {
      expect(await one(d)).toBe(1);
      relay.stall();
      const started = Date.now();
      const errors = await Promise.all([
        withTimeLimit(500, () => one(d)).catch((e: unknown) => e),
        withTimeLimit(500, () => one(d)).catch((e: unknown) => e),
        withTimeLimit(500, () => d.db.transaction((tx) => tx.execute(sql`select 1`))).catch((e: unknown) => e),
      ]);
      expect(Date.now() - started).toBeLessThan(3_000);
      for (const e of errors) expect(codeOf(e)).toBe("57014");
      relay.restore();
      // The connections stuck on the stall are replaced: the pool works again without a restart.
      let back: unknown = null;
      const deadline = Date.now() + 20_000;
      while (back !== 1 && Date.now() < deadline) back = await withTimeLimit(1_000, () => one(d)).catch(() => null);
      expect(back).toBe(1);
    } finally {
      relay.restore();
      const started = Date.now();
      await d.close();
      expect(Date.now() - started).toBeLessThan(7_000);
    }
  });
});

describe("database time limits on PGlite", () => {
  it("a transaction that could not begin in time is rolled back once it does, so the database stays usable", async () => {
    const d = await openDatabase({ dataDir: dataDir() });
    try {
      const busy = holdDatabase(d.db, 2);
      // Nothing on this thread tells when the statement has started on the database's thread.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const error = await withTimeLimit(200, () => d.db.transaction((tx) => tx.execute(sql`select 1`))).catch((e: unknown) => e);
      expect(codeOf(error)).toBe("57014");
      await busy;
      // The transaction opened late on the database thread; left open it would hold every later statement.
      expect(await withTimeLimit(3_000, () => one(d))).toBe(1);
    } finally {
      await d.close();
    }
  });

  it("a call behind a long statement fails at its limit; close() stops the busy thread", async () => {
    const dir = dataDir();
    const d = await openDatabase({ dataDir: dir });
    const busy = holdDatabase(d.db, 30).catch((e: unknown) => e);
    let started = Date.now();
    const error = await withTimeLimit(300, () => one(d)).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((error as Error).cause).toBeInstanceOf(DbTimeoutError);
    expect(codeOf(error)).toBe("57014");
    started = Date.now();
    await expect(d.close()).rejects.toThrow(/did not close within 5000 ms; it was stopped/);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(await busy).toBeInstanceOf(Error);
    // The data directory opens again (recovered as after a crash).
    const again = await openDatabase({ dataDir: dir });
    try {
      expect(await one(again)).toBe(1);
    } finally {
      await again.close();
    }
  });
});
