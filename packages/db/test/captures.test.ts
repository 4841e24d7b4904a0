import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CaptureRecord } from "../src/capture-record.ts";
import {
  captureLineId, captureLineKey, decodeCapture, encodeCapture, getPrompt, insertCaptureBatch, JsonText, listPrompts, migrate, openDatabase, recentCaptures,
  renamePrompt, type Database,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

function record(over: Partial<CaptureRecord>): CaptureRecord {
  return {
    id: randomUUID(), promptId: "pn_a", promptName: "a", fingerprint: "f1", template: "t1", endpoint: "messages", provider: "anthropic",
    stream: true, requestedModel: "claude-sonnet-4-5", servedModel: "claude-sonnet-4-5", route: "baseline", status: 200,
    request: { model: "claude-sonnet-4-5" }, response: null, outputText: "x", toolCalls: [{ name: "f" }], error: null,
    inputTokens: 100, outputTokens: 10, costUsd: 0.25, latencyMs: 300, ttfbMs: 80, clientKeyId: "dev", upstreamRequestId: null,
    createdAt: new Date("2026-11-10T12:00:00Z"), ...over,
  };
}

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});

describe("capture lines", () => {
  // Pretty-printed, with a number a double cannot hold, escapes and non-ASCII text.
  const requestText = '{\n  "model": "gpt-4o",\r\n  "seed": 12345678901234567890,\n  "messages": [{"role": "user", "content": "caf\u00e9 \\"quoted\\"\\n ✓"}]\n}';

  it("is one line that reads back as the record, verbatim bodies included", () => {
    const r = record({ request: new JsonText(requestText), response: new JsonText('{"id":"x","choices":[]}') });
    const line = encodeCapture(r);
    expect(line).not.toMatch(/[\r\n]/);
    expect(captureLineId(line)).toBe(r.id);
    expect(captureLineKey(line)).toEqual({ createdAt: r.createdAt.toISOString(), promptId: r.promptId });
    const back = decodeCapture(line);
    expect(back).toEqual({ ...r, request: JSON.parse(requestText), response: { id: "x", choices: [] } });
    expect(line).toContain('"seed": 12345678901234567890');
  });

  it("serialises plain records like JSON.stringify and refuses torn lines", () => {
    const r = record({ error: "overloaded", ttfbMs: null });
    expect(JSON.parse(encodeCapture(r))).toEqual(JSON.parse(JSON.stringify(r)));
    expect(Object.keys(JSON.parse(encodeCapture(r))).sort()).toEqual(Object.keys(r).sort());
    expect(JSON.parse(encodeCapture({ ...r, promptName: undefined as unknown as null })).promptName).toBeNull();
    // Values JSON has no spelling for are written as null, as JSON.stringify would.
    expect(JSON.parse(encodeCapture({ ...r, latencyMs: Number.NaN, costUsd: Infinity, createdAt: new Date("nope") }))).toMatchObject({ latencyMs: null, costUsd: null, createdAt: null });
    expect(JSON.parse(encodeCapture({ ...r, stream: false, status: 0, outputText: 'say "hi"\n' }))).toMatchObject({ stream: false, status: 0, outputText: 'say "hi"\n' });
    expect(JSON.parse(JSON.stringify({ a: new JsonText(requestText) })).a.model).toBe("gpt-4o");
    expect(decodeCapture(encodeCapture(r).slice(0, 80))).toBeNull();
    expect(decodeCapture('{"id":"x"}')).toBeNull();
  });
});

describe.each(["postgres", "pglite"] as const)("capture batches on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pg-cap-"));
    database = await openDatabase(kind === "postgres" ? { databaseUrl: testDb.url, dataDir: tmpdir() } : { dataDir });
    await migrate(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("counts a retried batch once and keeps the earliest and latest sightings", async () => {
    const batch = [
      record({ promptId: `pn_${kind}`, createdAt: new Date("2026-11-10T12:00:00Z") }),
      record({ promptId: `pn_${kind}`, createdAt: new Date("2026-11-09T08:00:00Z"), status: 529, error: "overloaded", costUsd: null, inputTokens: null }),
      record({ promptId: `pn_${kind}`, createdAt: new Date("2026-11-11T18:30:00Z"), fingerprint: "f2", template: "t2" }),
    ];
    expect(await insertCaptureBatch(database.db, batch)).toBe(3);
    expect(await insertCaptureBatch(database.db, batch)).toBe(0);
    expect(await insertCaptureBatch(database.db, [...batch, record({ promptId: `pn_${kind}` })])).toBe(1);
    const p = await getPrompt(database.db, `pn_${kind}`);
    expect(p).toMatchObject({ captureCount: 4, errorCount: 1, inputTokens: 300, outputTokens: 40, source: "header", fingerprint: "f2", template: "t2" });
    expect(p?.costUsd).toBeCloseTo(0.75, 9);
    expect(p?.firstSeenAt.toISOString()).toBe("2026-11-09T08:00:00.000Z");
    expect(p?.lastSeenAt.toISOString()).toBe("2026-11-11T18:30:00.000Z");
    const recent = await recentCaptures(database.db, `pn_${kind}`, 2);
    expect(recent.map((r) => r.createdAt.toISOString())).toEqual(["2026-11-11T18:30:00.000Z", "2026-11-10T12:00:00.000Z"]);
    expect(recent[0]?.toolCalls).toEqual([{ name: "f" }]);
  });

  it("stores a verbatim request body as the JSON it is", async () => {
    const id = `pn_verbatim_${kind}`;
    const text = '{\n "model": "gpt-4o",\n "messages": [{"role": "user", "content": "caf\u00e9 ✓"}], "n": 1.50}';
    expect(await insertCaptureBatch(database.db, [record({ promptId: id, request: new JsonText(text), response: new JsonText('{"ok":true}') })])).toBe(1);
    const [row] = await recentCaptures(database.db, id, 1);
    expect(row?.request).toEqual(JSON.parse(text));
    expect(row?.response).toEqual({ ok: true });
  });

  it("keeps a rename when later captures carry the header name", async () => {
    const id = `pn_rename_${kind}`;
    await insertCaptureBatch(database.db, [record({ promptId: id, promptName: "ticket-triage" })]);
    await renamePrompt(database.db, { id, name: "Ticket triage (EU)" });
    await insertCaptureBatch(database.db, [record({ promptId: id, promptName: "ticket-triage", createdAt: new Date("2026-11-20T00:00:00Z") })]);
    expect((await getPrompt(database.db, id))?.name).toBe("Ticket triage (EU)");
    expect(await renamePrompt(database.db, { id: "pn_missing", name: "x" })).toBeNull();
    expect((await listPrompts(database.db)).map((p) => p.id)).toContain(id);
  });
});
