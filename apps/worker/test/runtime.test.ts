import { afterAll, beforeAll, expect, it } from "vitest";
import { envSchema } from "@proofgate/config";
import { getCalibration, listCalibrationBatches, listPromptCalibrations, migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { TEST_REDIS_URL, deleteKeys, uniquePrefix } from "@proofgate/queue/testing";
import { pino } from "pino";
import {
  calibrationSummary,
  followCalibration,
  progressLine,
  startCalibration,
  startCalibrationRuntime,
  type CalibrationUpdate,
} from "../src/index.ts";
import { configFor, seedCaptures, simulatedUpstream, type SimulatedUpstream } from "./calibration-fixture.ts";

// The single-process mode: no REDIS_URL, so the runtime uses the in-process queue, and a restarted
// process resumes unfinished calibrations from Postgres by itself.

let testDb: TestDatabase;
let database: Database;
let upstream: SimulatedUpstream;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: "/nonexistent", max: 8 });
  await migrate(database.db, { monthsAhead: 1 });
  upstream = await simulatedUpstream("unsafe-candidate", 3);
  await seedCaptures(database.db, upstream, "order-extraction", 300, { promptId: "orders" });
}, 60_000);

afterAll(async () => {
  await upstream?.close();
  await database?.close();
  await testDb?.drop();
});

it("a process restarted mid-calibration resumes it from Postgres and finishes it", async () => {
  const config = {
    env: envSchema.parse({ OPENAI_UPSTREAM_URL: `${upstream.simulator.url}/v1`, ANTHROPIC_UPSTREAM_URL: upstream.simulator.url, OPENAI_API_KEY: "sk-test" }),
    file: configFor(upstream.scenario, { maxPairs: 300, batchSize: 20 }),
  };
  const logger = pino({ level: "silent" });
  const first = await startCalibrationRuntime({ config, db: database.db, logger });
  expect(first.deps.queue.kind).toBe("in-process");
  const calibration = await startCalibration(first.deps, { promptId: "orders", seed: 5 });
  const deadline = Date.now() + 30_000;
  while ((await listCalibrationBatches(database.db, calibration.id)).length < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await first.close(0);
  expect((await getCalibration(database.db, calibration.id))?.status).toBe("running");

  const second = await startCalibrationRuntime({ config, db: database.db, logger });
  try {
    const end = Date.now() + 60_000;
    let row = await getCalibration(database.db, calibration.id);
    while (row?.status === "running" && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      row = await getCalibration(database.db, calibration.id);
    }
    expect(row?.status).toBe("completed");
    const report = (row?.report as { candidates: Record<string, { verdict: string }> }).candidates["tiny-model"];
    expect(report?.verdict).not.toBe("pass");
  } finally {
    await second.close(5_000);
  }
}, 120_000);

it("starts a calibration by itself once a prompt has gathered enough captures, exactly once", async () => {
  await seedCaptures(database.db, upstream, "ticket-triage", 120, { promptId: "auto-triage" });
  const config = {
    env: envSchema.parse({ OPENAI_UPSTREAM_URL: `${upstream.simulator.url}/v1`, OPENAI_API_KEY: "sk-test" }),
    file: { ...configFor(upstream.scenario, { maxPairs: 100, batchSize: 25 }), autoCalibrateAfter: 100 },
  };
  const logger = pino({ level: "silent" });
  // Two processes watching at once: the per-prompt index lets only one of them start it.
  const runtimes = await Promise.all([0, 1].map(() => startCalibrationRuntime({ config, db: database.db, logger, autoCheckMs: 100 })));
  try {
    const deadline = Date.now() + 60_000;
    let calibrations = await listPromptCalibrations(database.db, "auto-triage");
    while ((calibrations.length === 0 || calibrations.some((c) => c.status === "running")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      calibrations = await listPromptCalibrations(database.db, "auto-triage");
    }
    expect(calibrations).toHaveLength(1);
    expect(calibrations[0]?.status).toBe("completed");
    expect(calibrations[0]?.candidates).toEqual(["tiny-model"]);
    // Calibrated once: the prompt is no longer due, whatever its captures.
    await new Promise((r) => setTimeout(r, 300));
    expect(await listPromptCalibrations(database.db, "auto-triage")).toHaveLength(1);
  } finally {
    await Promise.all(runtimes.map((r) => r.close(5_000)));
  }
}, 120_000);

it("on BullMQ, a queue that loses its jobs mid-run heals from Postgres without a restart", async () => {
  await seedCaptures(database.db, upstream, "ticket-triage", 200, { promptId: "healing" });
  const prefix = uniquePrefix("runtime-heal");
  const config = {
    env: envSchema.parse({ OPENAI_UPSTREAM_URL: `${upstream.simulator.url}/v1`, OPENAI_API_KEY: "sk-test", REDIS_URL: TEST_REDIS_URL }),
    file: configFor(upstream.scenario, { maxPairs: 200, batchSize: 25 }),
  };
  const runtime = await startCalibrationRuntime({
    config,
    db: database.db,
    logger: pino({ level: "silent" }),
    queuePrefix: prefix,
    resumeEveryMs: 500,
    queueConfig: { replay: { limiter: undefined, groupLimit: undefined }, judge: { limiter: undefined, groupLimit: undefined } },
  });
  try {
    expect(runtime.deps.queue.kind).toBe("bullmq");
    const calibration = await startCalibration(runtime.deps, { promptId: "healing", seed: 9 });
    const deadline = Date.now() + 60_000;
    while ((await listCalibrationBatches(database.db, calibration.id)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await getCalibration(database.db, calibration.id))?.status).toBe("running");
    expect(await deleteKeys(prefix)).toBeGreaterThan(0);
    let row = await getCalibration(database.db, calibration.id);
    while (row?.status === "running" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      row = await getCalibration(database.db, calibration.id);
    }
    expect(row?.status).toBe("completed");
  } finally {
    await runtime.close(5_000);
    await deleteKeys(prefix);
  }
}, 120_000);

it("follows a calibration to its end with progress, then summarises it", async () => {
  await seedCaptures(database.db, upstream, "lead-qualification", 200, { promptId: "followed" });
  const config = {
    env: envSchema.parse({ OPENAI_UPSTREAM_URL: `${upstream.simulator.url}/v1`, OPENAI_API_KEY: "sk-test" }),
    file: configFor(upstream.scenario, { maxPairs: 200, batchSize: 25 }),
  };
  const runtime = await startCalibrationRuntime({ config, db: database.db, logger: pino({ level: "silent" }) });
  try {
    const calibration = await startCalibration(runtime.deps, { promptId: "followed", seed: 4 });
    const updates: CalibrationUpdate[] = [];
    const row = await followCalibration(database.db, calibration.id, { intervalMs: 50, timeoutMs: 60_000, onUpdate: (u) => updates.push(u) });
    expect(row.status).toBe("completed");
    expect(updates.at(-1)?.status).toBe("completed");
    const pairs = updates.map((u) => u.pairs);
    expect(pairs).toEqual([...pairs].sort((a, b) => a - b));
    expect(progressLine(updates.at(-1) as CalibrationUpdate, 10)).toMatch(/^\[[#.]{10}\] \d+\/200 pairs, \d+ replays, \d+ judgments, \$\d+\.\d\d of \$1000\.00$/);
    const summary = calibrationSummary(row);
    expect(summary[0]).toContain("prompt followed");
    expect(summary.some((line) => /tiny-model: (FAIL|PASS|INCONCLUSIVE) after \d+ pairs/.test(line))).toBe(true);
  } finally {
    await runtime.close(5_000);
  }
}, 120_000);

it("draws the progress bar in proportion to the pairs budget", () => {
  const update: CalibrationUpdate = { status: "running", pairs: 50, maxPairs: 200, replays: 100, judgments: 80, spendUsd: 1.234, maxCostUsd: 10 };
  expect(progressLine(update, 8)).toBe("[##......] 50/200 pairs, 100 replays, 80 judgments, $1.23 of $10.00");
  expect(progressLine({ ...update, pairs: 400 }, 4)).toBe("[####] 400/200 pairs, 100 replays, 80 judgments, $1.23 of $10.00");
});
