import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countCapturesByIds, migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CaptureWriter } from "../../src/capture/writer.ts";
import { makeCapture, metricValue, newRegistry, quietLogger, waitFor } from "./capture-fixtures.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dataDir = () => mkdtempSync(join(tmpdir(), "pg-bound-"));

let testDb: TestDatabase;
let direct: Database;
let relay: TcpProxy;

beforeAll(async () => {
  testDb = await createTestDatabase();
  direct = await openDatabase({ databaseUrl: testDb.url, dataDir: dataDir() });
  await migrate(direct.db);
  const u = new URL(testDb.url);
  relay = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
});
afterAll(async () => {
  await relay?.close();
  await direct?.close();
  await testDb?.drop();
});

describe("capture memory bound while the database does not answer", () => {
  it("holds at most memoryLimitBytes in memory, the batch being written included", async () => {
    const via = await openDatabase({ databaseUrl: relay.url(testDb.url), dataDir: dataDir(), max: 2, timeLimitMs: 1_000 });
    const metrics = newRegistry();
    const writer = new CaptureWriter({
      db: via.db, logger: quietLogger(), metrics, dataDir: dataDir(), batchSize: 20, flushIntervalMs: 10, memoryLimitBytes: 1_000_000, maxBackoffMs: 200,
    }).start();
    try {
      relay.stall();
      const big = "x".repeat(100_000);
      const records = Array.from({ length: 150 }, (_, i) => makeCapture({ promptId: "pf_bound", request: { messages: [{ role: "user", content: `${i} ${big}` }] } }));
      // One capture larger than the whole budget goes straight to the spool.
      records.push(makeCapture({ promptId: "pf_bound", request: { messages: [{ role: "user", content: "y".repeat(3_000_000) }] } }));
      let most = 0;
      for (const [i, r] of records.entries()) {
        writer.push(r);
        most = Math.max(most, await metricValue(metrics, "proofgate_capture_buffer_bytes"));
        // Let the loop take batches out and get stuck on them, as it would between requests.
        if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await writer.spool.idle();
      expect(most).toBeLessThanOrEqual(1_000_000);
      expect(most).toBeGreaterThan(500_000);
      expect(await metricValue(metrics, "proofgate_captures_spooled_total")).toBeGreaterThanOrEqual(140);
      relay.restore();
      // A connection stuck on the stall is replaced; everything reaches Postgres.
      await waitFor(() => writer.depth === 0 && writer.spool.totalBytes === 0, 40_000, "memory and spool to drain");
      expect(await countCapturesByIds(direct.db, records.map((r) => r.id))).toBe(records.length);
      expect(await metricValue(metrics, "proofgate_captures_dropped_total")).toBe(0);
    } finally {
      relay.restore();
      await writer.close(1_000);
      await via.close();
    }
  });
});

