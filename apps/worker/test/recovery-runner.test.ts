import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { recoveryRunner } from "../src/calibration/recovery-runner.ts";
import type { RecoveryResult } from "../src/calibration/recover.ts";
import { captureLogs } from "./log-capture.ts";

// The scheduling of recovery passes on its own, on fake timers: what it runs is a stand-in task whose
// passes the test finishes by hand (the real pass is exercised on Postgres and Redis in queue-loss.test.ts
// and calibration-flow.test.ts).

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function controlledTask() {
  const finishers: Array<{ resolve: (r: RecoveryResult) => void; reject: (e: Error) => void }> = [];
  const task = vi.fn(() => new Promise<RecoveryResult>((resolve, reject) => finishers.push({ resolve, reject })));
  const finish = (i: number, error?: Error) => {
    const f = finishers[i];
    if (!f) throw new Error(`pass ${i} never started`);
    if (error) f.reject(error);
    else f.resolve({ calibrations: 1, enqueued: 3 });
  };
  return { task, finish };
}

const lossLines = (lines: { msg: string }[]) => lines.filter((l) => l.msg.startsWith("the queue lost its jobs"));

it("passes asked for while one runs share a single follow-up", async () => {
  const { task, finish } = controlledTask();
  const runner = recoveryRunner(task, captureLogs().logger);
  const first = runner.pass();
  const second = runner.pass();
  const third = runner.pass();
  expect(second).toBe(third);
  expect(task).toHaveBeenCalledTimes(1);
  finish(0);
  await first;
  await vi.advanceTimersByTimeAsync(0);
  expect(task).toHaveBeenCalledTimes(2);
  finish(1);
  await expect(third).resolves.toEqual({ calibrations: 1, enqueued: 3 });
  await runner.stop();
  expect(task).toHaveBeenCalledTimes(2);
});

it("a burst of loss signals makes one pass, logged once", async () => {
  const { task, finish } = controlledTask();
  const { logger, lines } = captureLogs();
  const runner = recoveryRunner(task, logger, { debounceMs: 500 });
  for (const reason of ["reconnect", "queue error", "reconnect", "tick", "queue error"]) runner.lost(reason);
  await vi.advanceTimersByTimeAsync(499);
  expect(task).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(1);
  expect(task).toHaveBeenCalledTimes(1);
  finish(0);
  await vi.advanceTimersByTimeAsync(60_000);
  expect(task).toHaveBeenCalledTimes(1);
  expect(lossLines(lines)).toHaveLength(1);
  expect(lossLines(lines)[0]).toMatchObject({ reason: "reconnect", calibrations: 1, enqueued: 3 });
  await runner.stop();
});

it("a loss seen during a pass gets one more pass after it, never two at once", async () => {
  const { task, finish } = controlledTask();
  const runner = recoveryRunner(task, captureLogs().logger, { debounceMs: 100 });
  const startUp = runner.pass();
  runner.lost("reconnect");
  await vi.advanceTimersByTimeAsync(1_000);
  expect(task).toHaveBeenCalledTimes(1);
  finish(0);
  await startUp;
  await vi.advanceTimersByTimeAsync(0);
  expect(task).toHaveBeenCalledTimes(2);
  finish(1);
  await runner.stop();
});

it("a pass after a loss that fails is retried, backing off, until one succeeds", async () => {
  const { task, finish } = controlledTask();
  const { logger, lines } = captureLogs();
  const runner = recoveryRunner(task, logger, { debounceMs: 100, retryMs: 1_000 });
  runner.lost("reconnect");
  await vi.advanceTimersByTimeAsync(100);
  finish(0, new Error("database unreachable"));
  await vi.advanceTimersByTimeAsync(999);
  expect(task).toHaveBeenCalledTimes(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(task).toHaveBeenCalledTimes(2);
  finish(1, new Error("database unreachable"));
  await vi.advanceTimersByTimeAsync(1_999);
  expect(task).toHaveBeenCalledTimes(2);
  await vi.advanceTimersByTimeAsync(1);
  expect(task).toHaveBeenCalledTimes(3);
  finish(2);
  await vi.advanceTimersByTimeAsync(0);
  const failures = lines.filter((l) => l.msg === "recovery after a queue loss failed");
  expect(failures.map((l) => l.retryInMs)).toEqual([1_000, 2_000]);
  expect(lossLines(lines)).toHaveLength(1);
  await runner.stop();
});

it("stops: a signal after stop, or one waiting at stop, runs nothing", async () => {
  const { task } = controlledTask();
  const runner = recoveryRunner(task, captureLogs().logger, { debounceMs: 100 });
  runner.lost("reconnect");
  await runner.stop();
  runner.lost("reconnect");
  await vi.advanceTimersByTimeAsync(10_000);
  expect(task).not.toHaveBeenCalled();
});
