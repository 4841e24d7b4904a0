import { afterEach, describe, expect, it } from "vitest";
import { BullmqDriver, InProcessDriver, type QueueConfigOverrides, type QueueDriver } from "@proofgate/queue";
import { defineProcessor, startWorkers, type RunningWorkers } from "../src/index.ts";
import { captureLogs } from "./log-capture.ts";
import { TEST_REDIS_URL as redisUrl, deleteKeys, sleep, uniquePrefix, waitFor } from "@proofgate/queue/testing";

type Make = (config: QueueConfigOverrides) => { driver: QueueDriver; cleanup: () => Promise<unknown> };

const drivers: Array<[string, Make]> = [
  ["in-process", (config) => ({ driver: new InProcessDriver({ config }), cleanup: async () => {} })],
  [
    "bullmq",
    (config) => {
      const prefix = uniquePrefix("worker");
      return { driver: new BullmqDriver({ url: redisUrl, prefix, config }), cleanup: () => deleteKeys(prefix) };
    },
  ],
];

describe.each(drivers)("startWorkers on the %s driver", (_label, make) => {
  let running: RunningWorkers | undefined;
  let cleanup: (() => Promise<unknown>) | undefined;

  afterEach(async () => {
    await running?.close(2_000);
    await cleanup?.();
    running = undefined;
  });

  function start(processors: Parameters<typeof startWorkers>[0]["processors"], config: QueueConfigOverrides = {}) {
    const made = make(config);
    cleanup = made.cleanup;
    const logs = captureLogs();
    running = startWorkers({ driver: made.driver, processors, logger: logs.logger });
    return { driver: made.driver, running, lines: logs.lines };
  }

  it("retries a provider 429 after its retry-after header, logging one line per attempt", async () => {
    let calls = 0;
    const starts: number[] = [];
    const flaky = defineProcessor("evaluate", async () => {
      starts.push(Date.now());
      calls += 1;
      if (calls === 1) throw Object.assign(new Error("rate limited"), { status: 429, headers: { "retry-after": "1" } });
    });
    const { driver, lines } = start([flaky], { evaluate: { attempts: 3, backoff: { delayMs: 10, maxDelayMs: 20 } } });
    const { jobId } = await driver.enqueue("evaluate", { calibrationId: "cal-w", batch: 0 });
    await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "completed");
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(990);
    const jobLines = lines.filter((l) => l.jobId === jobId);
    expect(jobLines.map((l) => [l.outcome, l.attempt])).toEqual([
      ["retry", 1],
      ["completed", 2],
    ]);
    expect(jobLines[0]).toMatchObject({ queue: "evaluate", retryable: true, retryAfterMs: 1000, err: { message: "rate limited" } });
  });

  it("fails a 401 at once instead of spending its remaining attempts", async () => {
    let calls = 0;
    const unauthorized = defineProcessor("evaluate", async () => {
      calls += 1;
      throw Object.assign(new Error("invalid x-api-key"), { status: 401 });
    });
    const { driver, lines } = start([unauthorized], { evaluate: { attempts: 5, backoff: { delayMs: 10, maxDelayMs: 20 } } });
    const { jobId } = await driver.enqueue("evaluate", { calibrationId: "cal-w", batch: 1 });
    await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "failed");
    await sleep(200);
    expect(calls).toBe(1);
    expect(lines.filter((l) => l.jobId === jobId)).toMatchObject([{ outcome: "failed", retryable: false, attempt: 1 }]);
  });

  it("close stops taking jobs, waits for the running one, then closes the driver", async () => {
    const order: string[] = [];
    const slow = defineProcessor("evaluate", async (payload) => {
      order.push(`start ${payload.batch}`);
      await sleep(500);
      order.push(`end ${payload.batch}`);
    });
    const { driver, running: workers, lines } = start([slow], { evaluate: { concurrency: 1 } });
    const { jobId } = await driver.enqueue("evaluate", { calibrationId: "cal-w", batch: 0 });
    await driver.enqueue("evaluate", { calibrationId: "cal-w", batch: 1 });
    await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "active");
    const result = await workers.close(5_000);
    order.push("closed");
    expect(result.abandoned).toBe(0);
    expect(order).toEqual(["start 0", "end 0", "closed"]);
    expect(lines.at(-1)).toMatchObject({ msg: "workers closed", abandoned: 0 });
    await expect(driver.enqueue("evaluate", { calibrationId: "cal-w", batch: 2 })).rejects.toThrow();
  });
});
