import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { BullmqDriver } from "../src/index.ts";
import { Redis } from "ioredis";
import { deleteKeys, redisUrl, sleep, uniquePrefix, waitFor } from "./helpers.ts";

const prefix = uniquePrefix("crash");
afterAll(() => deleteKeys(prefix));

it("a job whose worker process is killed mid-run is taken back by another worker", async () => {
  const driver = new BullmqDriver({ url: redisUrl, prefix, lockDurationMs: 1_000, stalledIntervalMs: 500 });
  try {
    const { jobId } = await driver.enqueue("evaluate", { calibrationId: "cal-crash", batch: 0 });

    const child = spawn(process.execPath, [fileURLToPath(new URL("./fixtures/crash-worker.ts", import.meta.url))], {
      env: { ...process.env, QUEUE_PREFIX: prefix, REDIS_URL: redisUrl },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes(`active ${jobId}`), 15_000, "the child to take the job");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect((await driver.getJob("evaluate", jobId))?.state).toBe("active");

    const ranHere: string[] = [];
    const worker = driver.work("evaluate", async (_data, ctx) => void ranHere.push(ctx.jobId));
    await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "completed", 15_000, "recovery");
    expect(ranHere).toEqual([jobId]);
    await worker.stop(2_000);
  } finally {
    await driver.close();
  }
});

it("after Redis loses the queue mid-run, work re-derived from the source of truth runs under the same ids", async () => {
  const flushPrefix = uniquePrefix("flush");
  const errors: Error[] = [];
  const driver = new BullmqDriver({
    url: redisUrl,
    prefix: flushPrefix,
    config: { evaluate: { concurrency: 1 } },
    onError: (e) => errors.push(e),
  });
  const truth = new Map<number, "pending" | "done">([0, 1, 2, 3, 4].map((b) => [b, "pending"]));
  const runs: number[] = [];
  try {
    const worker = driver.work("evaluate", async (data) => {
      const { batch } = data as { batch: number };
      runs.push(batch);
      await new Promise((resolve) => setTimeout(resolve, 150));
      truth.set(batch, "done");
    });
    for (const batch of truth.keys()) await driver.enqueue("evaluate", { calibrationId: "cal-flush", batch });
    await waitFor(() => truth.get(0) === "done", 10_000, "the first batch");
    // Only this test's keys: the shared Redis is never flushed whole.
    expect(await deleteKeys(flushPrefix)).toBeGreaterThan(0);
    expect((await driver.counts("evaluate")).waiting).toBe(0);

    const pending = [...truth].filter(([, s]) => s === "pending").map(([b]) => b);
    for (const batch of pending) await driver.enqueue("evaluate", { calibrationId: "cal-flush", batch });
    await waitFor(() => [...truth.values()].every((s) => s === "done"), 15_000, "re-derived work");
    // Every batch ran; only the one in flight at the flush (concurrency 1) may have run twice.
    expect(new Set(runs)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(runs.length).toBeLessThanOrEqual(6);
    await worker.stop(2_000);
  } finally {
    await driver.close();
    await deleteKeys(flushPrefix);
  }
});

it("a job id left as a stateless remnant by a partial loss is re-added by a repairing enqueue", async () => {
  const ghostPrefix = uniquePrefix("ghost");
  const driver = new BullmqDriver({ url: redisUrl, prefix: ghostPrefix });
  const redis = new Redis(redisUrl);
  try {
    const payload = { calibrationId: "cal-ghost", batch: 0 };
    const { jobId } = await driver.enqueue("evaluate", payload);
    // Lose the wait list but keep the job's hash, as a flush racing a write or an eviction can.
    expect(await redis.del(`${ghostPrefix}:evaluate:wait`)).toBe(1);
    expect(await driver.getJob("evaluate", jobId)).toBeUndefined();

    const ran: string[] = [];
    const worker = driver.work("evaluate", async (_data, ctx) => void ran.push(ctx.jobId));
    await driver.enqueue("evaluate", payload);
    await sleep(300);
    expect(ran).toEqual([]);
    await driver.enqueue("evaluate", payload, { repair: true });
    await waitFor(() => ran.length === 1, 10_000, "the repaired job");
    expect(ran).toEqual([jobId]);
    await worker.stop(2_000);
  } finally {
    redis.disconnect();
    await driver.close();
    await deleteKeys(ghostPrefix);
  }
});
