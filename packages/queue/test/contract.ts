import { afterEach, describe, expect, it } from "vitest";
import { NonRetryableError, RetryableError, type QueueConfigOverrides, type QueueDriver, type QueueWorker } from "../src/index.ts";
import { sleep, waitFor } from "./helpers.ts";

export type DriverFactory = (config: QueueConfigOverrides) => Promise<{ driver: QueueDriver; cleanup: () => Promise<void> }>;

const fast = { delayMs: 100, maxDelayMs: 10_000 };
const evaluate = (batch: number, calibrationId = "cal-1") => ({ calibrationId, batch });
const replay = (sample: number, model: string) => ({
  calibrationId: "cal-1",
  captureId: `cap-${sample}`,
  sample,
  batch: 0,
  model,
  provider: "openai" as const,
  role: "candidate" as const,
});

/** The behaviour both drivers must share; each driver's test file runs it against its own factory. */
export function queueDriverContract(label: string, factory: DriverFactory): void {
  describe(`${label} driver contract`, () => {
    let open: Array<{ driver: QueueDriver; workers: QueueWorker[]; cleanup: () => Promise<void> }> = [];

    async function setup(config: QueueConfigOverrides = {}) {
      const made = await factory(config);
      const entry = { ...made, workers: [] as QueueWorker[] };
      open.push(entry);
      return { driver: made.driver, track: (w: QueueWorker) => (entry.workers.push(w), w) };
    }

    afterEach(async () => {
      for (const entry of open) {
        await Promise.all(entry.workers.map((w) => w.stop(2_000)));
        await entry.driver.close();
        await entry.cleanup();
      }
      open = [];
    });

    it("runs a job once however often its id is enqueued, before and after it completes", async () => {
      const { driver, track } = await setup();
      await Promise.all([driver.enqueue("evaluate", evaluate(1)), driver.enqueue("evaluate", evaluate(1))]);
      const again = await driver.enqueue("evaluate", evaluate(1));
      expect(again.jobId).toBe("evaluate/cal-1/1");
      let calls = 0;
      track(driver.work("evaluate", async () => void (calls += 1)));
      await waitFor(async () => (await driver.getJob("evaluate", again.jobId))?.state === "completed");
      await driver.enqueue("evaluate", evaluate(1));
      await driver.enqueue("evaluate", evaluate(2));
      await waitFor(async () => (await driver.counts("evaluate")).completed === 2);
      expect(calls).toBe(2);
    });

    it("rejects a payload that does not match the queue's schema before enqueuing it", async () => {
      const { driver } = await setup();
      await expect(driver.enqueue("evaluate", { calibrationId: "", batch: -1 })).rejects.toThrow();
      expect((await driver.counts("evaluate")).waiting).toBe(0);
    });

    it("retries a retryable failure with exponential backoff until it succeeds", async () => {
      const { driver, track } = await setup({ evaluate: { attempts: 5, backoff: fast } });
      const starts: number[] = [];
      const attempts: number[] = [];
      track(
        driver.work("evaluate", async (_data, ctx) => {
          starts.push(Date.now());
          attempts.push(ctx.attempt);
          if (starts.length < 4) throw new RetryableError("upstream 503");
        }),
      );
      const { jobId } = await driver.enqueue("evaluate", evaluate(1));
      await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "completed");
      expect(attempts).toEqual([1, 2, 3, 4]);
      const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
      // 100, 200, 400 ms: each gap at least its backoff (timers may fire a few ms early) and doubling.
      [100, 200, 400].forEach((expected, i) => expect(gaps[i]).toBeGreaterThanOrEqual(expected - 15));
      expect(gaps[2]).toBeGreaterThan(gaps[0] as number);
      expect((await driver.getJob("evaluate", jobId))?.attemptsMade).toBe(4);
    });

    it("waits at least the retry-after the processor reports, even when backoff is shorter", async () => {
      const { driver, track } = await setup({ evaluate: { attempts: 3, backoff: { delayMs: 20, maxDelayMs: 50 } } });
      const starts: number[] = [];
      track(
        driver.work("evaluate", async () => {
          starts.push(Date.now());
          if (starts.length === 1) throw new RetryableError("429", { retryAfterMs: 800 });
        }),
      );
      const { jobId } = await driver.enqueue("evaluate", evaluate(1));
      await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "completed");
      expect(starts).toHaveLength(2);
      expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(790);
    });

    it("fails a job after its last attempt", async () => {
      const { driver, track } = await setup({ evaluate: { attempts: 3, backoff: { delayMs: 20, maxDelayMs: 50 } } });
      let calls = 0;
      track(
        driver.work("evaluate", async () => {
          calls += 1;
          throw new RetryableError(`still down (${calls})`);
        }),
      );
      const { jobId } = await driver.enqueue("evaluate", evaluate(1));
      await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "failed");
      const job = await driver.getJob("evaluate", jobId);
      expect(calls).toBe(3);
      expect(job?.attemptsMade).toBe(3);
      expect(job?.failedReason).toBe("still down (3)");
    });

    it("stops a non-retryable failure at once, whatever attempts remain", async () => {
      const { driver, track } = await setup({ evaluate: { attempts: 6, backoff: fast } });
      let calls = 0;
      track(
        driver.work("evaluate", async () => {
          calls += 1;
          throw new NonRetryableError("401 invalid api key");
        }),
      );
      const { jobId } = await driver.enqueue("evaluate", evaluate(1));
      await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "failed");
      await sleep(300);
      expect(calls).toBe(1);
      const job = await driver.getJob("evaluate", jobId);
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toBe("401 invalid api key");
    });

    it("never runs more jobs at once than the queue's concurrency", async () => {
      const { driver, track } = await setup({ evaluate: { concurrency: 3 } });
      for (let b = 0; b < 9; b++) await driver.enqueue("evaluate", evaluate(b));
      let running = 0;
      let peak = 0;
      track(
        driver.work("evaluate", async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(150);
          running -= 1;
        }),
      );
      await waitFor(async () => (await driver.counts("evaluate")).completed === 9);
      expect(peak).toBe(3);
    });

    it("starts no more jobs per window than the queue limiter allows", async () => {
      const { driver, track } = await setup({ evaluate: { concurrency: 10, limiter: { max: 2, durationMs: 500 } } });
      for (let b = 0; b < 6; b++) await driver.enqueue("evaluate", evaluate(b));
      const starts: number[] = [];
      track(driver.work("evaluate", async () => void starts.push(Date.now())));
      await waitFor(async () => (await driver.counts("evaluate")).completed === 6);
      // Two per 500 ms window: six jobs need three windows, so the last starts at least ~1 s after the first.
      expect((starts[5] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(950);
    });

    it("limits each provider/model group separately, without spending attempts", async () => {
      const { driver, track } = await setup({
        replay: { concurrency: 10, limiter: undefined, groupLimit: { max: 2, durationSeconds: 1 } },
      });
      for (let s = 0; s < 4; s++) await driver.enqueue("replay", replay(s, "busy-model"));
      for (let s = 0; s < 2; s++) await driver.enqueue("replay", replay(s, "quiet-model"));
      const starts = new Map<string, number[]>();
      const t0 = Date.now();
      track(
        driver.work("replay", async (data) => {
          const model = (data as { model: string }).model;
          starts.set(model, [...(starts.get(model) ?? []), Date.now() - t0]);
        }),
      );
      await waitFor(async () => (await driver.counts("replay")).completed === 6);
      const busy = (starts.get("busy-model") ?? []).sort((a, b) => a - b);
      const quiet = starts.get("quiet-model") ?? [];
      expect(quiet).toHaveLength(2);
      expect(Math.max(...quiet)).toBeLessThan(600);
      expect(busy).toHaveLength(4);
      expect((busy[2] as number) - (busy[0] as number)).toBeGreaterThanOrEqual(400);
      const job = await driver.getJob("replay", "replay/cal-1/cap-3/busy-model/3");
      expect(job?.attemptsMade).toBe(1);
    });

    it("limits each provider across its models when a provider limit is set", async () => {
      const { driver, track } = await setup({
        replay: { concurrency: 10, limiter: undefined, groupLimit: undefined, providerLimit: { max: 2, durationSeconds: 1 } },
      });
      for (const model of ["model-a", "model-b"]) for (let s = 0; s < 2; s++) await driver.enqueue("replay", replay(s, model));
      await driver.enqueue("replay", { ...replay(0, "claude-x"), provider: "anthropic" });
      const starts: Array<[string, number]> = [];
      const t0 = Date.now();
      track(driver.work("replay", async (data) => void starts.push([(data as { provider: string }).provider, Date.now() - t0])));
      await waitFor(async () => (await driver.counts("replay")).completed === 5);
      const openai = starts.filter(([p]) => p === "openai").map(([, t]) => t).sort((a, b) => a - b);
      const anthropic = starts.filter(([p]) => p === "anthropic").map(([, t]) => t);
      expect(openai).toHaveLength(4);
      expect((openai[2] as number) - (openai[0] as number)).toBeGreaterThanOrEqual(400);
      expect(Math.max(...anthropic)).toBeLessThan(600);
    });

    it("graceful stop waits for the running job and takes no new one", async () => {
      const { driver } = await setup();
      let finished = 0;
      const worker = driver.work("evaluate", async () => {
        await sleep(600);
        finished += 1;
      });
      const { jobId } = await driver.enqueue("evaluate", evaluate(1));
      await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "active");
      const result = await worker.stop(5_000);
      expect(result.abandoned).toBe(0);
      expect(finished).toBe(1);
      expect((await driver.getJob("evaluate", jobId))?.state).toBe("completed");
      await driver.enqueue("evaluate", evaluate(2));
      await sleep(300);
      expect(finished).toBe(1);
      expect((await driver.counts("evaluate")).waiting).toBe(1);
    });

    it("a stop that times out returns on time and aborts the running job", async () => {
      const { driver } = await setup();
      let aborted = false;
      const worker = driver.work("evaluate", async (_data, ctx) => {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          ctx.signal.addEventListener("abort", () => ((aborted = true), clearTimeout(timer), resolve()));
        });
      });
      const { jobId } = await driver.enqueue("evaluate", evaluate(1));
      await waitFor(async () => (await driver.getJob("evaluate", jobId))?.state === "active");
      const t0 = Date.now();
      const result = await worker.stop(200);
      expect(Date.now() - t0).toBeLessThan(1_500);
      expect(result.abandoned).toBe(1);
      await waitFor(() => aborted, 2_000, "abort signal");
    });
  });
}
