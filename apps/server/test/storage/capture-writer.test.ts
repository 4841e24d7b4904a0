import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { countCapturesByIds, getPrompt, migrate, openDatabase, recentCaptures, type Database } from "@proofgate/db";
import { createTestDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CaptureWriter } from "../../src/capture/writer.ts";
import { makeCapture, metricValue, newRegistry, quietLogger, waitFor } from "./capture-fixtures.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let testDb: TestDatabase;
let direct: Database;
const dataDir = () => mkdtempSync(join(tmpdir(), "pg-capture-"));

beforeAll(async () => {
  testDb = await createTestDatabase();
  direct = await openDatabase({ databaseUrl: testDb.url, dataDir: dataDir() });
  await migrate(direct.db);
});

afterAll(async () => {
  await direct?.close();
  await testDb?.drop();
});

describe("capture writer on Postgres", () => {
  it("stores every capture in batches and keeps prompt counters exact", async () => {
    const metrics = newRegistry();
    const writer = new CaptureWriter({ db: direct.db, logger: quietLogger(), metrics, dataDir: dataDir(), batchSize: 50, flushIntervalMs: 20 }).start();
    const records = Array.from({ length: 1234 }, (_, i) => makeCapture({ promptId: "pf_counters", costUsd: 0.5, inputTokens: i % 7 }));
    for (const r of records) writer.push(r);
    await waitFor(() => writer.depth === 0, 10_000, "memory to drain");
    await writer.close();
    expect(await countCapturesByIds(direct.db, records.map((r) => r.id))).toBe(records.length);
    const prompt = await getPrompt(direct.db, "pf_counters");
    expect(prompt?.captureCount).toBe(1234);
    expect(prompt?.costUsd).toBeCloseTo(617, 6);
    expect(prompt?.inputTokens).toBe(records.reduce((s, r) => s + (r.inputTokens ?? 0), 0));
    expect(await metricValue(metrics, "proofgate_captures_written_total")).toBe(1234);
    expect(await metricValue(metrics, "proofgate_captures_dropped_total")).toBe(0);
  });

  it("stores a capture Postgres refuses as-is after replacing the offending characters", async () => {
    const metrics = newRegistry();
    const writer = new CaptureWriter({ db: direct.db, logger: quietLogger(), metrics, dataDir: dataDir(), batchSize: 10 }).start();
    const good = Array.from({ length: 9 }, () => makeCapture({ promptId: "pf_poison" }));
    const bad = makeCapture({ promptId: "pf_poison", outputText: "nul\u0000here", request: { content: "lone \ud800 surrogate \u0000" } });
    for (const r of [...good.slice(0, 4), bad, ...good.slice(4)]) writer.push(r);
    await writer.close();
    expect(await countCapturesByIds(direct.db, [...good, bad].map((r) => r.id))).toBe(10);
    const stored = (await recentCaptures(direct.db, "pf_poison", 20)).find((r) => r.id === bad.id);
    expect(stored?.outputText).toBe("nul\uFFFDhere");
    expect(await metricValue(metrics, "proofgate_captures_dropped_total")).toBe(0);
    expect((await getPrompt(direct.db, "pf_poison"))?.captureCount).toBe(10);
  });
});

describe("capture writer through a Postgres outage", () => {
  let proxy: TcpProxy;
  let viaProxy: Database;

  beforeAll(async () => {
    const u = new URL(testDb.url);
    proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    viaProxy = await openDatabase({ databaseUrl: proxy.url(testDb.url), dataDir: dataDir(), max: 4 });
  });
  afterAll(async () => {
    await viaProxy?.close();
    await proxy?.close();
  });

  it("holds captures in memory, spills to disk, and stores all of them when Postgres returns", async () => {
    const metrics = newRegistry();
    const dir = dataDir();
    const writer = new CaptureWriter({
      db: viaProxy.db, logger: quietLogger(), metrics, dataDir: dir, batchSize: 100, flushIntervalMs: 20, memoryLimit: 1000, maxBackoffMs: 200,
    }).start();
    const records = Array.from({ length: 6000 }, () => makeCapture({ promptId: "pf_outage" }));
    const pushMs: number[] = [];
    const pushSome = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const t = performance.now();
        writer.push(records[i]!);
        pushMs.push(performance.now() - t);
        if (i % 100 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    await pushSome(0, 1000);
    proxy.cut();
    await pushSome(1000, 5000);
    await waitFor(() => !writer.isHealthy, 10_000, "the writer to notice the outage");
    await waitFor(async () => (await metricValue(metrics, "proofgate_captures_spooled_total")) > 0, 10_000, "a spill");
    await writer.spool.idle();
    expect(writer.depth).toBeLessThanOrEqual(1000);
    expect(readdirSync(join(dir, "spool")).length).toBeGreaterThan(0);
    proxy.restore();
    await pushSome(5000, 6000);
    await waitFor(() => writer.depth === 0 && writer.spool.totalBytes === 0, 30_000, "memory and spool to drain");
    await writer.close();
    expect(await countCapturesByIds(direct.db, records.map((r) => r.id))).toBe(records.length);
    expect((await getPrompt(direct.db, "pf_outage"))?.captureCount).toBe(records.length);
    expect(await metricValue(metrics, "proofgate_captures_dropped_total")).toBe(0);
    // push() is an array append, spills included (encoding and fsync happen on the spool's own loop).
    // Bounds that tell an append from any wait on I/O (a fsync or a round trip costs milliseconds each),
    // with room for GC pauses and a busy machine: a percentile rather than the maximum.
    pushMs.sort((a, b) => a - b);
    expect(pushMs[Math.floor(pushMs.length * 0.99)]).toBeLessThan(2);
    expect(pushMs.reduce((a, b) => a + b, 0) / pushMs.length).toBeLessThan(0.2);
  });

  it("backs off while Postgres is away instead of retrying on every new capture", async () => {
    const metrics = newRegistry();
    const writer = new CaptureWriter({ db: viaProxy.db, logger: quietLogger(), metrics, dataDir: dataDir(), batchSize: 10, maxBackoffMs: 1_000 }).start();
    proxy.cut();
    const records: ReturnType<typeof makeCapture>[] = [];
    const until = Date.now() + 1_000;
    while (Date.now() < until) {
      const r = makeCapture({ promptId: "pf_backoff" });
      records.push(r);
      writer.push(r);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    // Backoff 100, 200, 400, 800 ms: a handful of attempts in this second, not one per capture pushed.
    expect(await metricValue(metrics, "proofgate_capture_write_errors_total")).toBeLessThanOrEqual(8);
    proxy.restore();
    await waitFor(() => writer.depth === 0, 20_000, "memory to drain");
    await writer.close();
    expect(await countCapturesByIds(direct.db, records.map((r) => r.id))).toBe(records.length);
  });

  it("bounds memory in bytes too: large captures spill early and are all stored later", async () => {
    const metrics = newRegistry();
    const writer = new CaptureWriter({
      db: viaProxy.db, logger: quietLogger(), metrics, dataDir: dataDir(), batchSize: 10, memoryLimit: 10_000, memoryLimitBytes: 2_000_000, maxBackoffMs: 100,
    }).start();
    proxy.cut();
    const big = "x".repeat(100_000);
    const records = Array.from({ length: 100 }, (_, i) => makeCapture({ promptId: "pf_bytes", request: { messages: [{ role: "user", content: `${i} ${big}` }] } }));
    for (const r of records) writer.push(r);
    await writer.spool.idle();
    // 100 captures of ~100 KB against a 2 MB budget: at most ~20 stay in memory, the rest are on disk.
    expect(writer.depth).toBeLessThanOrEqual(21);
    const held = await metricValue(metrics, "proofgate_capture_buffer_bytes");
    expect(held).toBeGreaterThan(writer.depth * 100_000);
    expect(held).toBeLessThanOrEqual(2_000_000);
    expect(await metricValue(metrics, "proofgate_captures_spooled_total")).toBeGreaterThanOrEqual(79);
    proxy.restore();
    await waitFor(() => writer.depth === 0 && writer.spool.totalBytes === 0, 30_000, "memory and spool to drain");
    await writer.close();
    expect(await countCapturesByIds(direct.db, records.map((r) => r.id))).toBe(100);
    expect(await metricValue(metrics, "proofgate_captures_dropped_total")).toBe(0);
  });

  it("spools everything at shutdown while Postgres is away, and the next start drains it", async () => {
    const dir = dataDir();
    const first = new CaptureWriter({ db: viaProxy.db, logger: quietLogger(), metrics: newRegistry(), dataDir: dir, batchSize: 50, maxBackoffMs: 100 }).start();
    proxy.cut();
    const records = Array.from({ length: 700 }, () => makeCapture({ promptId: "pf_shutdown" }));
    for (const r of records) first.push(r);
    await first.close(2_000);
    first.push(makeCapture({ promptId: "pf_shutdown" })); // after close: straight to the spool
    expect(first.spool.totalBytes).toBeGreaterThan(0);
    proxy.restore();
    const metrics = newRegistry();
    const second = new CaptureWriter({ db: viaProxy.db, logger: quietLogger(), metrics, dataDir: dir, batchSize: 50 }).start();
    await waitFor(() => second.spool.totalBytes === 0, 20_000, "the spool to drain");
    await second.close();
    expect(await countCapturesByIds(direct.db, records.map((r) => r.id))).toBe(records.length);
    expect((await getPrompt(direct.db, "pf_shutdown"))?.captureCount).toBe(701);
  });

  it("does not let an unresponsive Postgres hold up shutdown", async () => {
    const u = new URL(testDb.url);
    const stalling = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    const hung = await openDatabase({ databaseUrl: stalling.url(testDb.url), dataDir: dataDir(), max: 2 });
    const dir = dataDir();
    try {
      await migrate(hung.db);
      const writer = new CaptureWriter({ db: hung.db, logger: quietLogger(), metrics: newRegistry(), dataDir: dir, batchSize: 50, flushIntervalMs: 10 }).start();
      stalling.stall();
      const records = Array.from({ length: 120 }, () => makeCapture({ promptId: "pf_hung" }));
      for (const r of records) writer.push(r);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      await writer.close(1_000);
      expect(Date.now() - started).toBeLessThan(3_000);
      // Everything is on disk; a writer on a healthy connection drains it.
      const second = new CaptureWriter({ db: direct.db, logger: quietLogger(), metrics: newRegistry(), dataDir: dir, batchSize: 50 }).start();
      await waitFor(() => second.spool.totalBytes === 0, 20_000, "the spool to drain");
      await second.close();
      expect(await countCapturesByIds(direct.db, records.map((r) => r.id))).toBe(120);
    } finally {
      await stalling.close();
      await Promise.race([hung.close(), new Promise((r) => setTimeout(r, 1_000))]);
    }
  });

  it("counts, never hides, what the spool cannot take or read", async () => {
    const dir = dataDir();
    const metrics = newRegistry();
    proxy.cut();
    const writer = new CaptureWriter({
      db: viaProxy.db, logger: quietLogger(), metrics, dataDir: dir, batchSize: 10, memoryLimit: 20, spoolLimitBytes: 20_000, maxBackoffMs: 100,
    });
    const records = Array.from({ length: 200 }, () => makeCapture({ promptId: "pf_full" }));
    for (const r of records) writer.push(r);
    await writer.close(500);
    const full = await metricValue(metrics, "proofgate_captures_dropped_total", { reason: "spool_full" });
    const spooled = await metricValue(metrics, "proofgate_captures_spooled_total");
    expect(full).toBeGreaterThan(0);
    expect(full + spooled).toBe(200);
    // A torn line (a crash mid-write) is counted when the spool is read back.
    writeFileSync(join(dir, "spool", "000000000000001-1-000000.ndjson"), '{"id":"torn", "createdAt": "2026-');
    // A file an earlier version spooled (plain JSON.stringify of the record, its own key order) is read too.
    const older = makeCapture({ promptId: "pf_older_spool", template: "older template" });
    writeFileSync(join(dir, "spool", "000000000000002-1-000000.ndjson"), `${JSON.stringify(older)}\n`);
    proxy.restore();
    const second = new CaptureWriter({ db: viaProxy.db, logger: quietLogger(), metrics, dataDir: dir, batchSize: 50 }).start();
    await waitFor(() => second.spool.totalBytes === 0, 20_000, "the spool to drain");
    await second.close();
    expect(await metricValue(metrics, "proofgate_captures_dropped_total", { reason: "spool_corrupt" })).toBe(1);
    expect(await countCapturesByIds(direct.db, records.map((r) => r.id))).toBe(spooled);
    expect(await countCapturesByIds(direct.db, [older.id])).toBe(1);
    expect((await getPrompt(direct.db, "pf_older_spool"))?.template).toBe("older template");
  });
});

describe("capture writer on PGlite", () => {
  it("stores captures in the embedded database", async () => {
    const dir = dataDir();
    const lite = await openDatabase({ dataDir: dir });
    try {
      await migrate(lite.db);
      const writer = new CaptureWriter({ db: lite.db, logger: quietLogger(), metrics: newRegistry(), dataDir: dir, batchSize: 100 }).start();
      const records = Array.from({ length: 500 }, () => makeCapture({ promptId: "pf_lite" }));
      for (const r of records) writer.push(r);
      await writer.close();
      expect(await countCapturesByIds(lite.db, records.map((r) => r.id))).toBe(500);
      expect((await getPrompt(lite.db, "pf_lite"))?.captureCount).toBe(500);
    } finally {
      await lite.close();
    }
  });
});
