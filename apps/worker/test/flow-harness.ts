import { expect } from "vitest";
import { getCalibration, listBatchJudgments, listBatchReplays, listCalibrationBatches, type Db } from "@proofgate/db";
import type { QueueConfigOverrides, QueueDriver } from "@proofgate/queue";
import { pino } from "pino";
import { calibrationProcessors, startCalibration, startWorkers, type CalibrationDeps } from "../src/index.ts";
import { configFor, type SimulatedUpstream } from "./calibration-fixture.ts";

// Helpers of the end-to-end calibration tests: deps on the simulator, waiting for the end, and the
// check that everything was paid once.

export const queueConfig: QueueConfigOverrides = {
  replay: { concurrency: 8, limiter: undefined, groupLimit: undefined, backoff: { delayMs: 20, maxDelayMs: 200 } },
  judge: { concurrency: 8, limiter: undefined, groupLimit: undefined, backoff: { delayMs: 20, maxDelayMs: 200 } },
  evaluate: { backoff: { delayMs: 20, maxDelayMs: 200 } },
};
export const silent = pino({ level: "silent" });

export interface Outcome {
  id: string;
  status: string;
  stopReason: string | null;
  verdict: string | undefined;
  pairs: number | undefined;
  spendUsd: number;
}

/** Upstream pools that count what was sent and what came back rate-limited. */
export function counted(upstream: SimulatedUpstream) {
  const tally = { requests: 0, rateLimited: 0 };
  const upstreams: CalibrationDeps["upstreams"] = {
    apiKey: (provider) => upstream.upstreams.apiKey(provider),
    registry: upstream.upstreams.registry,
    request: async (req) => {
      tally.requests += 1;
      const response = await upstream.upstreams.request(req);
      if (response.statusCode === 429) tally.rateLimited += 1;
      return response;
    },
  };
  return { upstreams, tally };
}

/** The helpers bound to the test file's database (opened in its beforeAll, hence the getter). */
export function flowHarness(db: () => Db) {
  function depsFor(upstream: SimulatedUpstream, queue: QueueDriver, upstreams: CalibrationDeps["upstreams"] = upstream.upstreams): CalibrationDeps {
    return { db: db(), queue, upstreams, prices: upstream.prices, config: configFor(upstream.scenario, { maxPairs: 400, batchSize: 25 }) };
  }

  async function waitForEnd(id: string, timeoutMs = 90_000): Promise<Outcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await getCalibration(db(), id);
      if (row && row.status !== "running") {
        const reports = (row.report as { candidates?: Record<string, { verdict: string; pairs: number }> } | null)?.candidates ?? {};
        const [report] = Object.values(reports);
        return { id, status: row.status, stopReason: row.stopReason, verdict: report?.verdict, pairs: report?.pairs, spendUsd: row.spendUsd };
      }
      if (Date.now() > deadline) throw new Error(`calibration ${id} still running after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function storedResults(calibrationId: string) {
    const batches = await listCalibrationBatches(db(), calibrationId);
    const replays = (await Promise.all(batches.map((b) => listBatchReplays(db(), calibrationId, b.batch)))).flat();
    const judgments = (await Promise.all(batches.map((b) => listBatchJudgments(db(), calibrationId, b.batch)))).flat();
    return { batches, replays, judgments };
  }

  async function countReplays(calibrationId: string): Promise<number> {
    return (await storedResults(calibrationId)).replays.length;
  }

  /** Every replay the batches called for was stored exactly once, and the spend is what those rows cost. */
  async function expectPaidOnce(calibrationId: string) {
    const { batches, replays, judgments } = await storedResults(calibrationId);
    const needed = batches.reduce((sum, b) => sum + b.captures.length * b.models.length, 0);
    expect(replays).toHaveLength(needed);
    expect(judgments).toHaveLength(needed);
    expect(new Set(replays.map((r) => `${r.sample}/${r.model}`)).size).toBe(needed);
    const paid = [...replays, ...judgments].reduce((sum, row) => sum + row.costUsd, 0);
    expect((await getCalibration(db(), calibrationId))?.spendUsd).toBeCloseTo(paid, 9);
  }

  async function run(deps: CalibrationDeps, promptId: string): Promise<Outcome> {
    const workers = startWorkers({ driver: deps.queue, processors: calibrationProcessors(deps), logger: silent });
    try {
      const calibration = await startCalibration(deps, { promptId, seed: 11 });
      return await waitForEnd(calibration.id);
    } finally {
      await workers.close(5_000);
    }
  }

  return { depsFor, waitForEnd, storedResults, countReplays, expectPaidOnce, run };
}
