import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  finishCalibration,
  getCalibration,
  insertCalibration,
  insertCalibrationBatch,
  insertCaptureBatch,
  insertJudgment,
  insertReplay,
  listPromptsDueForCalibration,
  listRunningCalibrations,
  markBatchEvaluated,
  migrate,
  openDatabase,
  refreshCalibrationSpend,
  sampleCaptures,
  type CaptureRecord,
  type Database,
} from "@proofgate/db";
import { captureRecord, createTestDatabase, type TestDatabase } from "@proofgate/db/testing";


function capture(i: number, over: Partial<CaptureRecord> = {}): CaptureRecord {
  return captureRecord({
    promptId: "prompt-a",
    promptName: "a",
    fingerprint: "fp",
    template: "t",
    request: { model: "gpt-4o", messages: [{ role: "user", content: `q${i}` }] },
    response: { id: `r${i}` },
    outputText: `answer ${i}`,
    // Spread over ~40 days so sampling is seen to reach across the prompt's history.
    createdAt: new Date(Date.UTC(2026, 9, 1) + i * 86_400_000),
    ...over,
  });
}

const calibration = (id: string, promptId = "prompt-a", seed = 7) => ({
  id,
  promptId,
  baselineModel: "gpt-4o",
  candidates: ["gpt-4o-mini"],
  maxPairs: 100,
  maxCostUsd: 5,
  batchSize: 10,
  alpha: 0.05,
  margins: { format: 0.02, categorical: 0.05, semantic: 0.05 },
  seed,
});

// The same queries run on Postgres (DATABASE_URL set) and on embedded PGlite (`pnpm start`).
describe.each(["postgres", "pglite"] as const)("calibration queries on %s", (kind) => {
  let testDb: TestDatabase | undefined;
  let dataDir: string | undefined;
  let database: Database;

  beforeAll(async () => {
    if (kind === "postgres") {
      testDb = await createTestDatabase();
      database = await openDatabase({ databaseUrl: testDb.url, dataDir: "/nonexistent", max: 2 });
    } else {
      dataDir = mkdtempSync(join(tmpdir(), "proofgate-calibration-"));
      database = await openDatabase({ dataDir });
    }
    await migrate(database.db, { monthsAhead: 1 });
    const good = Array.from({ length: 40 }, (_, i) => capture(i));
    const unusable = [
      capture(100, { status: 429, error: "rate limited", outputText: null }),
      capture(101, { route: "candidate", servedModel: "gpt-4o-mini" }),
      capture(102, { promptId: "prompt-b" }),
      capture(103, { outputText: null }),
    ];
    await insertCaptureBatch(database.db, [...good, ...unusable]);
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("sample usable baseline captures only, reproducibly, and never the same capture twice", async () => {
    const db = database.db;
    await insertCalibration(db, calibration("cal-s"));
    const params = { calibrationId: "cal-s", promptId: "prompt-a", baselineModel: "gpt-4o", seed: 7, count: 15 };
    const first = await sampleCaptures(db, params);
    expect(first).toHaveLength(15);
    expect(await sampleCaptures(db, params)).toEqual(first);
    await insertCalibrationBatch(db, { calibrationId: "cal-s", batch: 0, firstSample: 0, captures: first, models: ["gpt-4o"] });

    const second = await sampleCaptures(db, params);
    await insertCalibrationBatch(db, { calibrationId: "cal-s", batch: 1, firstSample: 15, captures: second, models: ["gpt-4o"] });
    const third = await sampleCaptures(db, { ...params, count: 100 });
    const all = [...first, ...second, ...third].map((c) => c.captureId);
    expect(all).toHaveLength(40);
    expect(new Set(all).size).toBe(40);
    // A hash order, not recency: the first batch reaches across the whole period.
    const days = first.map((c) => new Date(c.createdAt).getTime()).sort((a, b) => a - b);
    expect(((days.at(-1) as number) - (days[0] as number)) / 86_400_000).toBeGreaterThan(20);
    // Another seed draws another order.
    const other = await sampleCaptures(db, { ...params, calibrationId: "cal-other", seed: 8 });
    expect(other.map((c) => c.captureId)).not.toEqual(first.map((c) => c.captureId));
  });

  it("keep a batch's first sample when it is written twice", async () => {
    const db = database.db;
    await insertCalibration(db, calibration("cal-b", "prompt-for-batches"));
    const a = [{ captureId: "x", createdAt: new Date().toISOString() }];
    const b = [{ captureId: "y", createdAt: new Date().toISOString() }];
    await insertCalibrationBatch(db, { calibrationId: "cal-b", batch: 0, firstSample: 0, captures: a, models: ["gpt-4o"] });
    const again = await insertCalibrationBatch(db, { calibrationId: "cal-b", batch: 0, firstSample: 0, captures: b, models: ["gpt-4o"] });
    expect(again.captures).toEqual(a);
    expect(await markBatchEvaluated(db, "cal-b", 0, { n: 1 })).toBe(true);
    expect(await markBatchEvaluated(db, "cal-b", 0, { n: 2 })).toBe(false);
  });

  it("store a replay and a judgment once per id, and count spend from what was stored", async () => {
    const db = database.db;
    await insertCalibration(db, calibration("cal-r", "prompt-for-results"));
    const replay = {
      id: "replay/cal-r/c1/gpt-4o-mini/0",
      calibrationId: "cal-r",
      captureId: "c1",
      sample: 0,
      batch: 0,
      model: "gpt-4o-mini",
      role: "candidate" as const,
      provider: "openai",
      status: 200,
      outputText: "hi",
      costUsd: 0.25,
      latencyMs: 12,
    };
    expect(await insertReplay(db, replay)).toBe(true);
    expect(await insertReplay(db, { ...replay, costUsd: 99 })).toBe(false);
    const judgment = {
      id: "judge/cal-r/c1/gpt-4o-mini/0",
      calibrationId: "cal-r",
      captureId: "c1",
      sample: 0,
      batch: 0,
      model: "gpt-4o-mini",
      judgeModel: "gpt-4o",
      scores: { format: 1, categorical: null, semantic: 0.5 },
      judgeCalls: 2,
      costUsd: 0.5,
    };
    expect(await insertJudgment(db, judgment)).toBe(true);
    expect(await insertJudgment(db, judgment)).toBe(false);
    expect(await refreshCalibrationSpend(db, "cal-r")).toBeCloseTo(0.75);
    expect((await getCalibration(db, "cal-r"))?.spendUsd).toBeCloseTo(0.75);
  });

  it("end a calibration once, and only running ones are listed for recovery", async () => {
    const db = database.db;
    await insertCalibration(db, calibration("cal-f", "prompt-for-ending"));
    expect((await listRunningCalibrations(db)).map((c) => c.id)).toContain("cal-f");
    expect(await finishCalibration(db, "cal-f", { status: "stopped", stopReason: "401 from provider" })).toBe(true);
    expect(await finishCalibration(db, "cal-f", { status: "completed", report: {} })).toBe(false);
    const row = await getCalibration(db, "cal-f");
    expect(row).toMatchObject({ status: "stopped", stopReason: "401 from provider" });
    expect((await listRunningCalibrations(db)).map((c) => c.id)).not.toContain("cal-f");
  });

  it("allow one running calibration per prompt, and a new one once it has ended", async () => {
    const db = database.db;
    await insertCalibration(db, calibration("cal-one", "prompt-once"));
    await expect(insertCalibration(db, calibration("cal-two", "prompt-once"))).rejects.toThrow();
    await finishCalibration(db, "cal-one", { status: "completed", report: {} });
    await insertCalibration(db, calibration("cal-two", "prompt-once"));
    expect((await getCalibration(db, "cal-two"))?.status).toBe("running");
  });

  it("list prompts with enough captures and no calibration yet as due", async () => {
    const db = database.db;
    // prompt-a has 41 usable captures and calibrations; prompt-b has 1 capture and none.
    const due = await listPromptsDueForCalibration(db, 1);
    expect(due.map((p) => p.id)).toContain("prompt-b");
    expect(due.map((p) => p.id)).not.toContain("prompt-a");
    expect((await listPromptsDueForCalibration(db, 2)).map((p) => p.id)).not.toContain("prompt-b");
  });
});
