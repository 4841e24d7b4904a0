import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { BullmqDriver } from "../src/index.ts";
import { deleteKeys, redisUrl, uniquePrefix, waitFor } from "./helpers.ts";

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
