import { expect, it } from "vitest";
import { InProcessDriver, evaluateJobId } from "../src/index.ts";
import { waitFor } from "./helpers.ts";

// The in-process queue dies with its process; Postgres, the source of truth, says which work is done.
// Recovery is a pass over the truth that enqueues what is missing under the same deterministic ids.
// `truth` stands for those rows here; the calibration flow's recovery reads the real tables.

it("work lost with the process is re-derived from the source of truth, and done work is not redone", async () => {
  const truth = new Map<number, "pending" | "done">([0, 1, 2, 3].map((b) => [b, "pending"]));
  const runs: number[] = [];
  const handle = async (data: unknown, ctx: { signal: AbortSignal }) => {
    const { batch } = data as { batch: number };
    runs.push(batch);
    // Batch 2 is still running when the process "dies"; the abort stands for the process going away.
    if (batch === 2) await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
    truth.set(batch, "done");
  };

  const first = new InProcessDriver({ config: { evaluate: { concurrency: 1 } } });
  const worker = first.work("evaluate", handle);
  for (const batch of truth.keys()) await first.enqueue("evaluate", { calibrationId: "cal-r", batch });
  await waitFor(() => runs.includes(2), 5_000, "batch 2 to start");
  expect((await worker.stop(0)).abandoned).toBe(1);
  await first.close();
  expect([...truth.values()]).toEqual(["done", "done", "pending", "pending"]);

  const second = new InProcessDriver();
  second.work("evaluate", async (data) => {
    runs.push((data as { batch: number }).batch);
    truth.set((data as { batch: number }).batch, "done");
  });
  const pending = [...truth].filter(([, state]) => state === "pending").map(([batch]) => batch);
  const ids = await Promise.all(pending.map((batch) => second.enqueue("evaluate", { calibrationId: "cal-r", batch })));
  expect(ids.map((r) => r.jobId)).toEqual([evaluateJobId({ calibrationId: "cal-r", batch: 2 }), evaluateJobId({ calibrationId: "cal-r", batch: 3 })]);
  await waitFor(() => [...truth.values()].every((s) => s === "done"), 5_000, "recovery");
  expect(runs).toEqual([0, 1, 2, 2, 3]);
  await second.close();
});
