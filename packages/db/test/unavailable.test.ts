import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getPrompt, isDatabaseUnavailable, migrate, openDatabase, type Database } from "../src/index.ts";
import { createTestDatabase, startTcpProxy, type TestDatabase } from "../src/testing.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let testDb: TestDatabase;
let direct: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  direct = await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir(), max: 2 });
  await migrate(direct.db);
});
afterAll(async () => {
  await direct?.close();
  await testDb?.drop();
});

/** The error a real query raises, as drizzle hands it to the caller. */
async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the query to fail");
}

describe("isDatabaseUnavailable", () => {
  it("is true for a refused connection, a reset one and a connect time-out (postgres.js through drizzle)", async () => {
    const refused = await openDatabase({ databaseUrl: "postgres://postgres@127.0.0.1:1/none", dataDir: tmpdir(), max: 1 });
    try {
      expect(isDatabaseUnavailable(await failure(() => getPrompt(refused.db, "x")))).toBe(true);
    } finally {
      await refused.close();
    }
    const u = new URL(testDb.url);
    const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    const viaProxy = await openDatabase({ databaseUrl: proxy.url(testDb.url), dataDir: tmpdir(), max: 1 });
    try {
      await getPrompt(viaProxy.db, "x");
      proxy.cut();
      expect(isDatabaseUnavailable(await failure(() => getPrompt(viaProxy.db, "x")))).toBe(true);
      proxy.restore();
      proxy.stall();
      // A new connection that never completes its start-up: postgres.js's CONNECT_TIMEOUT after 5 s.
      expect(isDatabaseUnavailable(await failure(() => getPrompt(viaProxy.db, "x")))).toBe(true);
    } finally {
      proxy.restore();
      await viaProxy.close();
      await proxy.close();
    }
  });

  it("is true for a statement stopped by its time limit (57014) and for a server refusing connections (53300)", async () => {
    const cancelled = await failure(() =>
      direct.db.transaction(async (tx) => {
        await tx.execute(sql`set local statement_timeout = 20`);
        await tx.execute(sql`select pg_sleep(2)`);
      }),
    );
    expect(isDatabaseUnavailable(cancelled)).toBe(true);
    // Exhausting max_connections on the shared test server would disturb other tests: the shape is built.
    const tooMany = Object.assign(new Error("Failed query: select 1"), { cause: Object.assign(new Error("sorry, too many clients already"), { code: "53300" }) });
    expect(isDatabaseUnavailable(tooMany)).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error("connect"), { code: "ECONNREFUSED" })]))).toBe(true);
  });

  it("is true once the embedded database's thread has exited", async () => {
    const embedded = await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), "pg-unavailable-")) });
    await embedded.close();
    expect(isDatabaseUnavailable(await failure(() => getPrompt(embedded.db, "x")))).toBe(true);
  });

  it("is false for a fault in the statement or the data, and for a programming error", async () => {
    expect(isDatabaseUnavailable(await failure(() => direct.db.execute(sql`select * from no_such_table`)))).toBe(false);
    expect(isDatabaseUnavailable(await failure(() => direct.db.execute(sql`select 1/0`)))).toBe(false);
    expect(isDatabaseUnavailable(await failure(() => direct.db.execute(sql`select '{'::jsonb`)))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDatabaseUnavailable(new RangeError("Maximum call stack size exceeded"))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    const cyclic: { message: string; cause?: unknown } = { message: "loop" };
    cyclic.cause = cyclic;
    expect(isDatabaseUnavailable(cyclic)).toBe(false);
  });
});
