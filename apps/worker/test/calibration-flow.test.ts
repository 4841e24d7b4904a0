import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCalibration, listCalibrationBatches, migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { InProcessDriver, type QueueConfigOverrides } from "@proofgate/queue";
import { groundTruth } from "@proofgate/simulator";
import { pino } from "pino";
import { calibrationProcessors, startCalibration, startWorkers, type CalibrationDeps } from "../src/index.ts";
import { configFor, seedCaptures, simulatedUpstream, type SimulatedUpstream } from "./calibration-fixture.ts";

const queueConfig: QueueConfigOverrides = {
  replay: { concurrency: 8, limiter: undefined, groupLimit: undefined },
  judge: { concurrency: 8, limiter: undefined, groupLimit: undefined },
};

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: "/nonexistent", max: 8 });
  await migrate(database.db, { monthsAhead: 1 });
}, 60_000);

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

async function waitForEnd(id: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await getCalibration(database.db, id);
    if (row && row.status !== "running") return row;
    if (Date.now() > deadline) throw new Error(`calibration ${id} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each([
  ["safe-candidate", "gpt-4o-mini"],
  ["unsafe-candidate", "tiny-model"],
])("calibration on %s", (scenarioName, candidate) => {
  let upstream: SimulatedUpstream;
  beforeAll(async () => {
    upstream = await simulatedUpstream(scenarioName);
  });
  afterAll(async () => upstream?.close());

  it("reaches the verdict the ground truth allows", async () => {
    const family = "ticket-triage";
    const promptId = `${scenarioName}/${family}`;
    await seedCaptures(database.db, upstream, family, 200, { promptId });
    const driver = new InProcessDriver({ config: queueConfig });
    const deps: CalibrationDeps = {
      db: database.db,
      queue: driver,
      upstreams: upstream.upstreams,
      prices: upstream.prices,
      config: configFor(upstream.scenario, { maxPairs: 200, batchSize: 25 }),
    };
    const workers = startWorkers({ driver, processors: calibrationProcessors(deps), logger: pino({ level: "warn" }) });
    try {
      const started = Date.now();
      const calibration = await startCalibration(deps, { promptId, seed: 11 });
      const done = await waitForEnd(calibration.id);
      const report = (done.report as { candidates: Record<string, { verdict: string; reason: string; pairs: number }> }).candidates[candidate];
      const truth = groundTruth(upstream.scenario, family, "gpt-4o", candidate);
      console.log(scenarioName, done.status, done.stopReason, report?.verdict, report?.pairs, report?.reason, Date.now() - started, "ms", done.spendUsd, "truth within margin:", truth.withinMargin);
      console.log((await listCalibrationBatches(database.db, calibration.id)).length, "batches");
      expect(done.status).toBe("completed");
      if (!truth.withinMargin) expect(report?.verdict).not.toBe("pass");
    } finally {
      await workers.close(5_000);
    }
  }, 120_000);
});
