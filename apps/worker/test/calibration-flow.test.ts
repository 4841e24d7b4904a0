import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCalibration, migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { BullmqDriver, InProcessDriver } from "@proofgate/queue";
import { TEST_REDIS_URL, deleteKeys, uniquePrefix, waitFor } from "@proofgate/queue/testing";
import type { ParityReport } from "@proofgate/parity";
import { groundTruth } from "@proofgate/simulator";
import { envSchema } from "@proofgate/config";
import { calibrationProcessors, resumeCalibrations, startCalibration, startCalibrationRuntime, startWorkers } from "../src/index.ts";
import { configFor, seedCaptures, simulatedUpstream, type SimulatedUpstream } from "./calibration-fixture.ts";
import { counted, flowHarness, queueConfig, silent, type Outcome } from "./flow-harness.ts";
import { captureLogs } from "./log-capture.ts";

// End to end on the simulator: captures in, a verdict per candidate out, with Postgres as the truth. The
// simulator answers deterministically for a request and replay index, so the same calibration seed gives
// the same pairs, the same verdict and the same spend however the run is disturbed.

const family = "ticket-triage";

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

const { depsFor, waitForEnd, countReplays, expectPaidOnce, run, storedResults } = flowHarness(() => database.db);

describe("a clearly safe candidate", () => {
  let upstream: SimulatedUpstream;
  let reference: Outcome;
  const promptId = `safe/${family}`;

  beforeAll(async () => {
    upstream = await simulatedUpstream("safe-candidate");
    await seedCaptures(database.db, upstream, family, 400, { promptId });
  }, 60_000);
  afterAll(async () => upstream?.close());

  it("passes, within the budget, paying for each replay once (in-process driver)", async () => {
    expect(groundTruth(upstream.scenario, family, "gpt-4o", "gpt-4o-mini").withinMargin).toBe(true);
    reference = await run(depsFor(upstream, new InProcessDriver({ config: queueConfig })), promptId);
    expect(reference).toMatchObject({ status: "completed", verdict: "pass" });
    expect(reference.pairs).toBeLessThanOrEqual(400);
    await expectPaidOnce(reference.id);
  }, 120_000);

  it("reaches the same verdict, pairs and spend on BullMQ", async () => {
    const prefix = uniquePrefix("calibration");
    const driver = new BullmqDriver({ url: TEST_REDIS_URL, prefix, config: queueConfig });
    try {
      const outcome = await run(depsFor(upstream, driver), promptId);
      expect(outcome).toMatchObject({ status: "completed", verdict: reference.verdict, pairs: reference.pairs });
      expect(outcome.spendUsd).toBeCloseTo(reference.spendUsd, 9);
      await expectPaidOnce(outcome.id);
    } finally {
      await deleteKeys(prefix);
    }
  }, 120_000);

  it("recovers by itself, within seconds, from Redis losing the queue mid-run, with the same verdict and spend", async () => {
    const prefix = uniquePrefix("calibration-flush");
    const driver = new BullmqDriver({ url: TEST_REDIS_URL, prefix, config: queueConfig, onError: () => {} });
    const { logger, lines } = captureLogs();
    const config = { env: envSchema.parse({}), file: depsFor(upstream, driver).config };
    // No periodic pass (resumeEveryMs 0): only the runtime's own loss detection can bring it back.
    const runtime = await startCalibrationRuntime({ config, db: database.db, logger, upstreams: upstream.upstreams, queue: driver, resumeEveryMs: 0 });
    const losses = () => lines.filter((l) => l.msg.startsWith("the queue lost its jobs"));
    try {
      const calibration = await startCalibration(runtime.deps, { promptId, seed: 11 });
      await waitFor(async () => (await countReplays(calibration.id)) >= 60, 60_000, "60 replays");
      // Only this test's keys go: the shared Redis is never flushed whole.
      expect(await deleteKeys(prefix)).toBeGreaterThan(0);
      const lostAt = Date.now();
      await waitFor(() => losses().length > 0, 30_000, "the loss to be seen and recovered");
      const recoveredInMs = Date.now() - lostAt;
      const outcome = await waitForEnd(calibration.id);
      expect(outcome).toMatchObject({ status: "completed", verdict: reference.verdict, pairs: reference.pairs });
      expect(outcome.spendUsd).toBeCloseTo(reference.spendUsd, 9);
      await expectPaidOnce(calibration.id);
      // Seen and logged once, with what the pass re-enqueued, in seconds rather than the 5 minutes of the periodic pass.
      expect(losses()).toHaveLength(1);
      expect(losses()[0]).toMatchObject({ calibrations: 1 });
      expect(losses()[0]?.enqueued).toBeGreaterThan(0);
      expect(recoveredInMs).toBeLessThan(30_000);
    } finally {
      await runtime.close(5_000);
      await deleteKeys(prefix);
    }
  }, 120_000);

  it("on BullMQ, a worker process killed mid-run is replaced and the calibration ends the same", async () => {
    const prefix = uniquePrefix("calibration-kill");
    const deps = depsFor(upstream, new BullmqDriver({ url: TEST_REDIS_URL, prefix, config: queueConfig }));
    const setup = JSON.stringify({
      databaseUrl: testDb.url,
      redisUrl: TEST_REDIS_URL,
      prefix,
      simulatorUrl: upstream.simulator.url,
      config: deps.config,
      queueConfig,
    });
    const spawnWorker = async () => {
      const child = spawn(process.execPath, [fileURLToPath(new URL("./fixtures/calibration-worker.ts", import.meta.url))], {
        env: { ...process.env, WORKER_SETUP: setup },
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve) => child.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()));
      return child;
    };
    const first = await spawnWorker();
    let second: ChildProcess | undefined;
    try {
      const calibration = await startCalibration(deps, { promptId, seed: 11 });
      const deadline = Date.now() + 60_000;
      while ((await countReplays(calibration.id)) < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const exited = new Promise((resolve) => first.once("exit", resolve));
      first.kill("SIGKILL");
      await exited;
      // No recovery pass: the new process's stalled-job check takes the dead one's jobs back.
      second = await spawnWorker();
      const outcome = await waitForEnd(calibration.id);
      expect(outcome).toMatchObject({ status: "completed", verdict: reference.verdict, pairs: reference.pairs });
      expect(outcome.spendUsd).toBeCloseTo(reference.spendUsd, 9);
      await expectPaidOnce(calibration.id);
    } finally {
      first.kill("SIGKILL");
      second?.kill("SIGTERM");
      await deps.queue.close();
      await deleteKeys(prefix);
    }
  }, 120_000);

  it("finishes after a worker is killed mid-run and restarted, with no replay duplicated and the same verdict", async () => {
    const first = new InProcessDriver({ config: queueConfig });
    const deps = depsFor(upstream, first);
    const workers = startWorkers({ driver: first, processors: calibrationProcessors(deps), logger: silent });
    const calibration = await startCalibration(deps, { promptId, seed: 11 });
    const deadline = Date.now() + 60_000;
    while ((await countReplays(calibration.id)) < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // The in-process queue dies with its process: stop at once, abandoning whatever is running.
    await workers.close(0);
    expect((await getCalibration(database.db, calibration.id))?.status).toBe("running");

    const second = new InProcessDriver({ config: queueConfig });
    const restartedDeps = depsFor(upstream, second);
    const restarted = startWorkers({ driver: second, processors: calibrationProcessors(restartedDeps), logger: silent });
    try {
      const recovery = await resumeCalibrations(restartedDeps);
      expect(recovery.calibrations).toBe(1);
      expect(recovery.enqueued).toBeGreaterThan(0);
      const outcome = await waitForEnd(calibration.id);
      expect(outcome).toMatchObject({ status: "completed", verdict: reference.verdict, pairs: reference.pairs });
      expect(outcome.spendUsd).toBeCloseTo(reference.spendUsd, 9);
      await expectPaidOnce(calibration.id);
    } finally {
      await restarted.close(5_000);
    }
  }, 120_000);

  it("ends inconclusive within the money budget, sizing its last batch to what is left", async () => {
    const deps = depsFor(upstream, new InProcessDriver({ config: queueConfig }));
    const workers = startWorkers({ driver: deps.queue, processors: calibrationProcessors(deps), logger: silent });
    try {
      const maxCostUsd = reference.spendUsd / 3;
      const calibration = await startCalibration(deps, { promptId, seed: 11, maxCostUsd });
      const outcome = await waitForEnd(calibration.id);
      expect(outcome).toMatchObject({ status: "completed", verdict: "inconclusive" });
      expect(outcome.spendUsd).toBeLessThanOrEqual(maxCostUsd * 1.05);
      expect(outcome.spendUsd).toBeGreaterThan(maxCostUsd * 0.8);
      const row = await getCalibration(database.db, calibration.id);
      const report = (row?.report as { candidates: Record<string, ParityReport> }).candidates["gpt-4o-mini"];
      expect(report?.reason).toMatch(/money budget/);
      await expectPaidOnce(calibration.id);
    } finally {
      await workers.close(5_000);
    }
  }, 120_000);

  it("completes through a 429 storm on every model without paying twice", async () => {
    for (const model of ["gpt-4o", "gpt-4o-mini"]) upstream.simulator.setFaultRates(model, { rate429: 0.25, retryAfterSeconds: 0 });
    try {
      const { upstreams, tally } = counted(upstream);
      const outcome = await run(depsFor(upstream, new InProcessDriver({ config: queueConfig }), upstreams), promptId);
      expect(tally.rateLimited).toBeGreaterThan(50);
      expect(outcome).toMatchObject({ status: "completed", verdict: reference.verdict, pairs: reference.pairs });
      expect(outcome.spendUsd).toBeCloseTo(reference.spendUsd, 9);
      await expectPaidOnce(outcome.id);
    } finally {
      for (const model of ["gpt-4o", "gpt-4o-mini"]) upstream.simulator.setFaultRates(model, { rate429: 0 });
    }
  }, 120_000);
});

describe("a clearly unsafe candidate", () => {
  let upstream: SimulatedUpstream;
  const promptId = `unsafe/${family}`;

  beforeAll(async () => {
    upstream = await simulatedUpstream("unsafe-candidate");
    await seedCaptures(database.db, upstream, family, 400, { promptId });
  }, 60_000);
  afterAll(async () => upstream?.close());

  it("fails", async () => {
    expect(groundTruth(upstream.scenario, family, "gpt-4o", "tiny-model").withinMargin).toBe(false);
    const outcome = await run(depsFor(upstream, new InProcessDriver({ config: queueConfig })), promptId);
    expect(outcome).toMatchObject({ status: "completed", verdict: "fail" });
    await expectPaidOnce(outcome.id);
    // The report carries its evidence: per-axis statistics and the clearest disagreements, with texts.
    const report = ((await getCalibration(database.db, outcome.id))?.report as { candidates: Record<string, ParityReport> }).candidates["tiny-model"];
    const failing = report?.axes.filter((a) => a.applicable && a.verdict === "fail") ?? [];
    expect(failing.length).toBeGreaterThan(0);
    const examples = report?.examples ?? [];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      expect(example.score).toBeLessThan(1);
      expect(example.task.length).toBeGreaterThan(0);
      expect(example.reference.length).toBeGreaterThan(0);
      expect(example.note.length).toBeGreaterThan(0);
    }
    expect(report?.savings?.monthlySavingUsd.estimate).toBeGreaterThan(0);
  }, 120_000);

  it("stops with the provider's reason on a non-retryable error instead of burning budget", async () => {
    const { upstreams, tally } = counted(upstream);
    const deps = depsFor(upstream, new InProcessDriver({ config: queueConfig }), upstreams);
    const workers = startWorkers({ driver: deps.queue, processors: calibrationProcessors(deps), logger: silent });
    try {
      // A candidate the provider does not know: its replays answer 404, which no retry will change.
      const calibration = await startCalibration(deps, { promptId, seed: 11, candidates: ["retired-model"] });
      const outcome = await waitForEnd(calibration.id);
      expect(outcome.status).toBe("stopped");
      expect(outcome.stopReason).toMatch(/replay .*retired-model.* failed: upstream answered 404/);
      // One batch at most was in flight: 25 baseline and 25 candidate replays, plus their judges.
      expect(tally.requests).toBeLessThan(150);
    } finally {
      await workers.close(5_000);
    }
  }, 120_000);
});

describe("a candidate served on the other provider's wire", () => {
  let upstream: SimulatedUpstream;
  const promptId = `two-provider/${family}`;

  beforeAll(async () => {
    upstream = await simulatedUpstream("two-provider");
    await seedCaptures(database.db, upstream, family, 400, { promptId });
  }, 60_000);
  afterAll(async () => upstream?.close());

  it("is replayed through the request translation and judged on replies put back in the captured format", async () => {
    const candidate = "claude-3-5-haiku-latest";
    expect(groundTruth(upstream.scenario, family, "gpt-4o", candidate).withinMargin).toBe(true);
    // A smaller pairs budget than the other runs: this test is about the wire, not the verdict's power.
    const deps = { ...depsFor(upstream, new InProcessDriver({ config: queueConfig })), config: configFor(upstream.scenario, { maxPairs: 150, batchSize: 25 }) };
    const outcome = await run(deps, promptId);
    expect(outcome.status).toBe("completed");
    expect(["pass", "inconclusive"]).toContain(outcome.verdict);
    await expectPaidOnce(outcome.id);
    const { replays } = await storedResults(outcome.id);
    const translated = replays.filter((r) => r.model === candidate);
    expect(translated.length).toBeGreaterThan(0);
    for (const replay of translated) {
      expect(replay.provider).toBe("anthropic");
      expect(replay.costUsd).toBeGreaterThan(0);
      expect((replay.response as { choices?: unknown[] }).choices).toHaveLength(1);
      expect(replay.outputText?.length).toBeGreaterThan(0);
    }
  }, 120_000);
});
