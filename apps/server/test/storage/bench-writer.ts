/**
 * Capture writer throughput: pushes realistic captures as fast as the writer stores them in Postgres.
 *   node apps/server/test/storage/bench-writer.ts [count] [batchSize]
 * Prints captures/s sustained, the time push() takes (the cost on the request path) and the CPU this
 * process spends per capture (serialising and sending; Postgres works in its own processes).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, openDatabase } from "@proofgate/db";
import { createTestDatabase } from "@proofgate/db/testing";
import { CaptureWriter } from "../../src/capture/writer.ts";
import { makeCapture, newRegistry, quietLogger } from "./capture-fixtures.ts";
import { chatRequest } from "./upstream-stub.ts";

const count = Number(process.argv[2] ?? 50_000);
const batchSize = Number(process.argv[3] ?? 200);
const testDb = await createTestDatabase();
const database = await openDatabase({ databaseUrl: testDb.url, dataDir: tmpdir() });
try {
  await migrate(database.db);
  const writer = new CaptureWriter({
    db: database.db, logger: quietLogger(), metrics: newRegistry(), dataDir: mkdtempSync(join(tmpdir(), "pg-bench-")),
    batchSize, memoryLimit: count + batchSize,
  }).start();
  const prompts = Array.from({ length: 20 }, (_, i) => `pf_bench_${i}`);
  const records = Array.from({ length: count }, (_, i) =>
    makeCapture({ promptId: prompts[i % prompts.length]!, request: chatRequest(i), outputText: "billing ".repeat(20) }),
  );
  const bytes = JSON.stringify(records[0]).length;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const r of records) writer.push(r);
  const pushUs = ((performance.now() - t0) * 1000) / count;
  while (writer.depth > 0) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await writer.close();
  const summary = { captures: count, batchSize, bytesPerCapture: bytes, seconds: +seconds.toFixed(2), capturesPerSecond: Math.round(count / seconds), pushMicros: +pushUs.toFixed(2), cpuMicrosPerCapture: +((cpu.user + cpu.system) / count).toFixed(1) };
  console.log(JSON.stringify(summary));
} finally {
  await database.close();
  await testDb.drop();
}
