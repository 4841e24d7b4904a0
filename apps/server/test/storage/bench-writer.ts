/**
 * Capture writer throughput: pushes realistic captures as fast as the writer stores them.
 *   node apps/server/test/storage/bench-writer.ts [count] [batchSize] [postgres|pglite]
 * Prints captures/s sustained, the time push() takes (the cost on the request path), the CPU this
 * process spends per capture, and how late a 1 ms timer fires meanwhile (how much the main thread's
 * event loop, the one serving requests, is held up by the writing).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { CaptureWriter } from "../../src/capture/writer.ts";
import { makeCapture, newRegistry, quietLogger } from "./capture-fixtures.ts";
import { chatRequest } from "./upstream-stub.ts";

const count = Number(process.argv[2] ?? 50_000);
const batchSize = Number(process.argv[3] ?? 200);
const kind = process.argv[4] === "pglite" ? "pglite" : "postgres";
const dataDir = mkdtempSync(join(tmpdir(), "pg-bench-"));
let testDb: TestDatabase | null = null;
let database: Database;
if (kind === "postgres") {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir });
} else {
  database = await openDatabase({ dataDir });
}
try {
  await migrate(database.db);
  const writer = new CaptureWriter({ db: database.db, logger: quietLogger(), metrics: newRegistry(), dataDir, batchSize, memoryLimit: count + batchSize }).start();
  const prompts = Array.from({ length: 20 }, (_, i) => `pf_bench_${i}`);
  const records = Array.from({ length: count }, (_, i) =>
    makeCapture({ promptId: prompts[i % prompts.length]!, request: chatRequest(i), outputText: "billing ".repeat(20) }),
  );
  const bytes = JSON.stringify(records[0]).length;
  const gaps: number[] = [];
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 1);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const r of records) writer.push(r);
  const pushUs = ((performance.now() - t0) * 1000) / count;
  last = performance.now();
  while (writer.depth > 0) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(probe);
  await writer.close();
  gaps.sort((a, b) => a - b);
  const at = (q: number) => +(gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * q))] ?? 0).toFixed(1);
  console.log(
    JSON.stringify({
      storage: kind, captures: count, batchSize, bytesPerCapture: bytes, seconds: +seconds.toFixed(2), capturesPerSecond: Math.round(count / seconds),
      pushMicros: +pushUs.toFixed(2), cpuMicrosPerCapture: +((cpu.user + cpu.system) / count).toFixed(1), timerGapMs: { p50: at(0.5), p99: at(0.99), max: at(1) },
    }),
  );
} finally {
  await database.close();
  await testDb?.drop();
}
