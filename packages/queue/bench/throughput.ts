// Enqueue and drain N no-op jobs on each driver; prints jobs/s. The queue's overhead per job, not a
// provider's: real replays are bounded by the limiters long before this.
import { BullmqDriver, InProcessDriver, type QueueDriver } from "../src/index.ts";
import { TEST_REDIS_URL, deleteKeys, uniquePrefix, waitFor } from "../src/testing.ts";

const jobs = Number(process.env.JOBS ?? 2_000);
const concurrency = Number(process.env.CONCURRENCY ?? 8);

async function measure(label: string, driver: QueueDriver) {
  const t0 = performance.now();
  for (let batch = 0; batch < jobs; batch++) await driver.enqueue("evaluate", { calibrationId: "bench", batch });
  const enqueued = performance.now();
  let done = 0;
  const worker = driver.work("evaluate", async () => void (done += 1));
  await waitFor(() => done === jobs, 120_000, "drain");
  const drained = performance.now();
  await worker.stop(5_000);
  await driver.close();
  const result = {
    driver: label,
    jobs,
    concurrency,
    enqueuePerSecond: Math.round(jobs / ((enqueued - t0) / 1000)),
    processPerSecond: Math.round(jobs / ((drained - enqueued) / 1000)),
  };
  console.log(JSON.stringify(result));
  return result;
}

const config = { evaluate: { concurrency } };
await measure("in-process", new InProcessDriver({ config }));
const prefix = uniquePrefix("bench");
try {
  await measure("bullmq", new BullmqDriver({ url: TEST_REDIS_URL, prefix, config }));
} finally {
  await deleteKeys(prefix);
}
