import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  countCapturesByIds,
  encodeCapture,
  JsonText,
  listQuarantinedCaptures,
  migrate,
  openDatabase,
  recentCaptures,
  type CaptureRecord,
  type Database,
} from "@proofgate/db";
import { createTestDatabase, startTcpProxy, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CaptureWriter } from "../../src/capture/writer.ts";
import { makeCapture, metricValue, newRegistry, quietLogger, waitFor } from "./capture-fixtures.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const dataDir = () => mkdtempSync(join(tmpdir(), "pg-quarantine-"));
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

/** A capture whose request skipped the proxy's nesting check (as a spool line from before it would). */
function deepRequest(promptId: string, depth: number): CaptureRecord {
  return makeCapture({ promptId, request: new JsonText(`{"model":"gpt-4o","messages":[],"metadata":${nested(depth)}}`) });
}

/** A capture Postgres itself refuses: its id is not a uuid ("invalid input syntax for type uuid"). */
function refusedByDatabase(promptId: string): CaptureRecord {
  return makeCapture({ promptId, id: `not-a-uuid-${Math.random().toString(36).slice(2)}` });
}

let testDb: TestDatabase;
const backends: Record<"postgres" | "pglite", Database | null> = { postgres: null, pglite: null };

beforeAll(async () => {
  testDb = await createTestDatabase();
  backends.postgres = await openDatabase({ databaseUrl: testDb.url, dataDir: dataDir() });
  backends.pglite = await openDatabase({ dataDir: dataDir() });
  for (const d of Object.values(backends)) await migrate(d!.db);
});
afterAll(async () => {
  for (const d of Object.values(backends)) await d?.close();
  await testDb?.drop();
});

describe.each(["postgres", "pglite"] as const)("capture quarantine on %s", (kind) => {
  const db = () => backends[kind]!.db;

  it("quarantines deep and refused captures with their reason while the others keep being stored", async () => {
    const metrics = newRegistry();
    const writer = new CaptureWriter({ db: db(), logger: quietLogger(), metrics, dataDir: dataDir(), batchSize: 10, flushIntervalMs: 20 }).start();
    const promptId = `pf_quarantine_${kind}`;
    const before = Array.from({ length: 15 }, () => makeCapture({ promptId }));
    const poisoned = [deepRequest(promptId, 100_000), deepRequest(promptId, 10_000), refusedByDatabase(promptId)];
    for (const r of [...before.slice(0, 5), ...poisoned, ...before.slice(5)]) writer.push(r);
    await waitFor(async () => (await countCapturesByIds(db(), before.map((r) => r.id))) === before.length, 15_000, "the first captures");
    // The writer is not stuck behind them: later captures are stored too.
    const after = Array.from({ length: 15 }, () => makeCapture({ promptId }));
    for (const r of after) writer.push(r);
    await waitFor(async () => (await countCapturesByIds(db(), after.map((r) => r.id))) === after.length, 15_000, "later captures");
    const started = Date.now();
    await writer.close();
    expect(Date.now() - started).toBeLessThan(5_000);

    const quarantined = new Map((await listQuarantinedCaptures(db(), 1_000)).map((q) => [q.captureId, q]));
    expect(quarantined.get(poisoned[0]!.id)?.reason).toMatch(/deeper than 128 levels/);
    expect(quarantined.get(poisoned[1]!.id)?.reason).toMatch(/deeper than 128 levels/);
    expect(quarantined.get(poisoned[2]!.id)?.reason).toMatch(/refused by the database: .*invalid input syntax for type uuid/);
    // The line is kept whole, so nothing is lost: the 100,000-deep request is all there.
    expect(quarantined.get(poisoned[0]!.id)?.line).toBe(encodeCapture(poisoned[0]!));
    expect(await metricValue(metrics, "proofgate_captures_quarantined_total", { kind: "too_deep", store: "table" })).toBe(2);
    expect(await metricValue(metrics, "proofgate_captures_quarantined_total", { kind: "refused", store: "table" })).toBe(1);
    expect(await metricValue(metrics, "proofgate_captures_dropped_total")).toBe(0);
    expect(await metricValue(metrics, "proofgate_captures_written_total")).toBe(30);
  });

  it("keeps a provider reply nested past the limit as text, with the capture's error saying why", async () => {
    const writer = new CaptureWriter({ db: db(), logger: quietLogger(), metrics: newRegistry(), dataDir: dataDir(), batchSize: 5 }).start();
    const promptId = `pf_deep_reply_${kind}`;
    const replyText = `{"choices":[{"message":{"role":"assistant","content":"x"}}],"extra":${nested(10_000)}}`;
    const record = makeCapture({ promptId, response: new JsonText(replyText), toolCalls: [{ deep: JSON.parse(nested(500)) }] });
    writer.push(record);
    await writer.close();
    const stored = (await recentCaptures(db(), promptId, 5))[0];
    expect(stored?.id).toBe(record.id);
    // Its text inside a flat object: a bare jsonb string would be parsed back into the deep tree on read.
    expect(stored?.response).toEqual({ tooDeep: true, limit: 128, text: replyText });
    expect(stored?.toolCalls).toBeNull();
    expect(stored?.error).toMatch(/reply nests JSON deeper than 128 levels; it is kept as text/);
    expect(stored?.outputText).toBe(record.outputText);
  });

  it("drains a spool file around a poisoned line at the next start", async () => {
    const dir = dataDir();
    const promptId = `pf_spool_poison_${kind}`;
    const good = Array.from({ length: 30 }, () => makeCapture({ promptId }));
    const poisoned = [deepRequest(promptId, 100_000), refusedByDatabase(promptId)];
    // What a writer without the nesting check spooled at shutdown: good lines around poisoned ones.
    mkdirSync(join(dir, "spool"), { recursive: true });
    const lines = [...good.slice(0, 10), poisoned[0]!, ...good.slice(10, 20), poisoned[1]!, ...good.slice(20)].map(encodeCapture);
    writeFileSync(join(dir, "spool", "000000000000001-1-000000.ndjson"), `${lines.join("\n")}\n`);
    const metrics = newRegistry();
    const writer = new CaptureWriter({ db: db(), logger: quietLogger(), metrics, dataDir: dir, batchSize: 8 }).start();
    await waitFor(() => writer.spool.totalBytes === 0, 20_000, "the spool to drain");
    await writer.close();
    expect(await countCapturesByIds(db(), good.map((r) => r.id))).toBe(30);
    const ids = new Set((await listQuarantinedCaptures(db(), 1_000)).map((q) => q.captureId));
    expect(poisoned.every((p) => ids.has(p.id))).toBe(true);
    expect(readdirSync(join(dir, "spool"))).toEqual([]);
    expect(await metricValue(metrics, "proofgate_captures_dropped_total")).toBe(0);
  });
});

describe("capture quarantine without a database", () => {
  it("keeps a capture in a file under <dataDir>/quarantine when the table cannot take it", async () => {
    const u = new URL(testDb.url);
    const relay = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    const via = await openDatabase({ databaseUrl: relay.url(testDb.url), dataDir: dataDir(), max: 2 });
    const dir = dataDir();
    try {
      const metrics = newRegistry();
      const writer = new CaptureWriter({ db: via.db, logger: quietLogger(), metrics, dataDir: dir, maxBackoffMs: 100 }).start();
      relay.cut();
      const deep = deepRequest("pf_quarantine_file", 100_000);
      writer.push(deep);
      await writer.close(2_000);
      const files = readdirSync(join(dir, "quarantine"));
      expect(files).toHaveLength(1);
      const kept = JSON.parse(readFileSync(join(dir, "quarantine", files[0]!), "utf8")) as { captureId: string; reason: string; line: string };
      expect(kept).toMatchObject({ captureId: deep.id, line: encodeCapture(deep) });
      expect(kept.reason).toMatch(/deeper than 128 levels/);
      expect(await metricValue(metrics, "proofgate_captures_quarantined_total", { kind: "too_deep", store: "file" })).toBe(1);
    } finally {
      await relay.close();
      await via.close();
    }
  });
});
