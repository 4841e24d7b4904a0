import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@proofgate/config";
import { capturedUpstreamRequestIds, migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, holdDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CaptureWriter } from "../../src/capture/writer.ts";
import { generateKey } from "../../src/keys/key-material.ts";
import { startServer, type RunningServer } from "../../src/main.ts";
import { metricValue, newRegistry, quietLogger, waitFor } from "./capture-fixtures.ts";
import { chatRequest, startChatUpstream } from "./upstream-stub.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dataDir = () => mkdtempSync(join(tmpdir(), "pg-wedged-"));
const DEV_KEY = "wedged-dev-key-0123";

let testDb: TestDatabase;
let direct: Database;
let relay: TcpProxy;
let upstream: Awaited<ReturnType<typeof startChatUpstream>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  direct = await openDatabase({ databaseUrl: testDb.url, dataDir: dataDir() });
  await migrate(direct.db);
  const u = new URL(testDb.url);
  relay = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  upstream = await startChatUpstream(1);
});
afterAll(async () => {
  await relay?.close();
  await upstream?.close();
  await direct?.close();
  await testDb?.drop();
});

async function chat(port: number, key: string, i: number) {
  const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(chatRequest(i)),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code?: string } } };
}

/** The server's answers while its database does not answer: unknown keys 503 quickly, known traffic served, shutdown completes. */
async function wedgedServerChecks(server: RunningServer) {
  let started = Date.now();
  const unknown = await chat(server.port, generateKey().key, 0);
  const keyCheckMs = Date.now() - started;
  expect(unknown.status).toBe(503);
  expect(unknown.body.error?.code).toBe("key_check_unavailable");
  // The key check's own limit is 2 s; the database's default would be 30 s.
  expect(keyCheckMs).toBeLessThan(6_000);
  for (let i = 0; i < 20; i++) expect((await chat(server.port, DEV_KEY, i)).status).toBe(200);
  await waitFor(() => server.captures.depth > 0, 5_000, "captures held while the database does not answer");
  started = Date.now();
  await server.close("test");
  return { closeMs: Date.now() - started };
}

function serverConfig(dir: string, databaseUrl?: string) {
  return loadConfig({
    PORT: "0",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    PROOFGATE_DATA_DIR: dir,
    PROOFGATE_DEV_KEY: DEV_KEY,
    OPENAI_UPSTREAM_URL: `${upstream.url}/v1`,
    OPENAI_API_KEY: "sk-upstream-test",
  });
}

describe("a database that stops answering", () => {
  it("Postgres: unknown keys get 503 promptly, captures go to the spool, close() completes", async () => {
    const dir = dataDir();
    const server = await startServer({ config: serverConfig(dir, relay.url(testDb.url)), logger: quietLogger(), calibration: false, drainTimeoutMs: 2_000, flushTimeoutMs: 1_000 });
    const servedBefore = upstream.served.length;
    relay.stall();
    try {
      const { closeMs } = await wedgedServerChecks(server);
      expect(closeMs).toBeLessThan(15_000);
      expect(readdirSync(join(dir, "spool")).length).toBeGreaterThan(0);
    } finally {
      relay.restore();
    }
    // The spool is complete: a writer on a healthy connection stores all twenty.
    const writer = new CaptureWriter({ db: direct.db, logger: quietLogger(), metrics: newRegistry(), dataDir: dir }).start();
    await waitFor(() => writer.spool.totalBytes === 0, 20_000, "the spool to drain");
    await writer.close();
    const served = upstream.served.slice(servedBefore);
    expect(served).toHaveLength(20);
    expect((await capturedUpstreamRequestIds(direct.db, served)).size).toBe(20);
  });

  it("PGlite: a statement that runs on (pg_sleep) does not hang key checks or shutdown", async () => {
    const dir = dataDir();
    const server = await startServer({ config: serverConfig(dir), logger: quietLogger(), calibration: false, drainTimeoutMs: 2_000, flushTimeoutMs: 1_000 });
    // The embedded database runs one statement at a time: this one holds its thread for 30 s.
    const sleeping = holdDatabase(server.database.db, 30).catch((error: unknown) => error);
    const { closeMs } = await wedgedServerChecks(server);
    expect(closeMs).toBeLessThan(15_000);
    expect(await sleeping).toBeInstanceOf(Error);
    expect(readdirSync(join(dir, "spool")).length).toBeGreaterThan(0);
    // The thread was stopped mid-statement; the next start recovers the database and drains the spool.
    const again = await startServer({ config: serverConfig(dir), logger: quietLogger(), calibration: false });
    try {
      await waitFor(() => again.captures.spool.totalBytes === 0, 20_000, "the spool to drain after a restart");
      expect(await metricValue(again.metrics, "proofgate_captures_written_total")).toBeGreaterThanOrEqual(20);
    } finally {
      await again.close("test");
    }
  });
});
