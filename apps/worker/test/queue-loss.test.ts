import { afterAll, beforeAll, expect, it } from "vitest";
import { envSchema } from "@proofgate/config";
import { getCalibration, migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from "@proofgate/db/testing";
import { BullmqDriver } from "@proofgate/queue";
import { TEST_REDIS_URL, deleteKeys, sleep, uniquePrefix, waitFor } from "@proofgate/queue/testing";
import { startCalibration, startCalibrationRuntime } from "../src/index.ts";
import { configFor, seedCaptures, simulatedUpstream, type SimulatedUpstream } from "./calibration-fixture.ts";
import { flowHarness } from "./flow-harness.ts";
import { captureLogs } from "./log-capture.ts";

// BullMQ through a TCP relay to the real Redis, so the connection can be cut and restored without
// touching the shared server: a reconnect to a Redis that kept its keys must cost no recovery pass, an
// outage no spin and no flood of log lines, and coming back empty must be recovered at once rather than
// at the periodic pass.

let testDb: TestDatabase;
let database: Database;
let upstream: SimulatedUpstream;
let proxy: TcpProxy;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: "/nonexistent", max: 8 });
  await migrate(database.db, { monthsAhead: 1 });
  upstream = await simulatedUpstream("safe-candidate");
  await seedCaptures(database.db, upstream, "ticket-triage", 200, { promptId: "outage" });
  const redis = new URL(TEST_REDIS_URL);
  proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await upstream?.close();
  await database?.close();
  await testDb?.drop();
});

const { waitForEnd, countReplays: replayCount } = flowHarness(() => database.db);

it("the driver reports nothing after a reconnect to a Redis that kept its keys, and the loss after one that came back empty", async () => {
  const prefix = uniquePrefix("reconnect");
  const errors: Error[] = [];
  // The periodic look is an hour away: only the look after a reconnect can see anything here.
  const driver = new BullmqDriver({ url: proxy.url(TEST_REDIS_URL), prefix, lossCheckMs: 3_600_000, onError: (e) => errors.push(e) });
  const lost: string[] = [];
  const stop = driver.onLost((reason) => lost.push(reason));
  const worker = driver.work("evaluate", async () => {});
  // Two round trips after a reconnect: the second is sent after the look made on 'ready', so once it
  // answers, so has the look.
  const reconnected = async () => {
    await driver.counts("evaluate");
    await driver.counts("evaluate");
  };
  try {
    await reconnected();
    proxy.cut();
    await waitFor(() => errors.length > 0, 10_000, "the connection to drop");
    proxy.restore();
    await reconnected();
    expect(lost).toEqual([]);

    proxy.cut();
    expect(await deleteKeys(prefix)).toBeGreaterThan(0);
    proxy.restore();
    await reconnected();
    expect(lost).toHaveLength(1);
  } finally {
    proxy.restore();
    stop();
    await worker.stop(2_000);
    await driver.close();
    await deleteKeys(prefix);
  }
});

it("rides out a Redis that stays down without spinning or flooding the log, and recovers at once when it comes back empty", async () => {
  const prefix = uniquePrefix("outage");
  const config = {
    env: envSchema.parse({ OPENAI_UPSTREAM_URL: `${upstream.simulator.url}/v1`, OPENAI_API_KEY: "sk-test", REDIS_URL: proxy.url(TEST_REDIS_URL) }),
    file: configFor(upstream.scenario, { maxPairs: 200, batchSize: 25 }),
  };
  const { logger, lines } = captureLogs();
  const runtime = await startCalibrationRuntime({
    config,
    db: database.db,
    logger,
    queuePrefix: prefix,
    // No periodic pass: only the loss detection can recover lost work.
    resumeEveryMs: 0,
    queueConfig: { replay: { limiter: undefined, groupLimit: undefined }, judge: { limiter: undefined, groupLimit: undefined } },
  });
  const said = (msg: string) => lines.filter((l) => l.msg.startsWith(msg));
  try {
    const calibration = await startCalibration(runtime.deps, { promptId: "outage", seed: 3 });
    await waitFor(async () => (await replayCount(calibration.id)) >= 20, 30_000, "20 replays");

    const cpuBefore = process.threadCpuUsage();
    const downAt = Date.now();
    proxy.cut();
    await sleep(4_000); // an outage lasts by the clock: there is no event to wait for
    const cpu = process.threadCpuUsage(cpuBefore);
    const downMs = Date.now() - downAt;
    // Every connection reports every reconnect attempt (70 errors in the first 10 s): one line for all.
    expect(said("queue connection error")).toHaveLength(1);
    // ioredis backs off between attempts; a reconnect loop that spun would take the whole core.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(downMs * 0.25);
    expect((await getCalibration(database.db, calibration.id))?.status).toBe("running");

    // Back empty, as a Redis restarted without persistence: seen at the reconnect and recovered once.
    expect(await deleteKeys(prefix)).toBeGreaterThan(0);
    proxy.restore();
    await waitFor(() => said("the queue lost its jobs").length > 0, 15_000, "the loss to be seen");
    expect((await waitForEnd(calibration.id, 30_000)).status).toBe("completed");
    expect(said("the queue lost its jobs")).toHaveLength(1);
    expect(said("the queue lost its jobs")[0]).toMatchObject({ calibrations: 1 });
  } finally {
    proxy.restore();
    await runtime.close(5_000);
    await deleteKeys(prefix);
  }
}, 60_000);
