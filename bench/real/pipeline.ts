import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { loadConfig } from "../../packages/config/src/index.ts";
import { getCalibration, getPrompt, listBatchReplays, listCalibrationBatches, type Db } from "../../packages/db/src/index.ts";
import { createTestDatabase, type TestDatabase } from "../../packages/db/src/testing.ts";
import { startSimulator, type Simulator } from "../../packages/simulator/src/index.ts";
import { startServer, type RunningServer } from "../../apps/server/src/main.ts";
import { startCalibration, startCalibrationRuntime, type CalibrationRuntime } from "../../apps/worker/src/index.ts";
import type { ParityReport } from "../../packages/parity/src/index.ts";
import { benchConfig, benchScenario } from "./models.ts";
import type { Message, Slice } from "./slices.ts";

const req = createRequire(new URL("../../apps/server/package.json", import.meta.url));
const { pino } = req("pino") as typeof import("../../apps/server/node_modules/pino/pino.js");

export type Pipeline = { db: Db; proxyUrl: string; runtime: CalibrationRuntime; close(): Promise<void> };

const DEV_KEY = "bench-real-dev-key";

/**
 * proofgate as `pnpm start` runs it (proxy with capture, calibration workers on the in-process queue), on a
 * scratch Postgres database, with the recorded simulator as the upstream.
 */
export async function startPipeline(datasetsDir: string, log: string): Promise<Pipeline> {
  const scratch: TestDatabase = await createTestDatabase();
  const sim: Simulator = await startSimulator({ scenario: benchScenario(), seed: 1, latency: false, datasetsDir });
  const dir = mkdtempSync(join(tmpdir(), "proofgate-bench-real-"));
  writeFileSync(join(dir, "proofgate.config.json"), JSON.stringify(benchConfig()));
  const config = loadConfig({
    PORT: "0",
    DATABASE_URL: scratch.url,
    PROOFGATE_DATA_DIR: dir,
    OPENAI_UPSTREAM_URL: `${sim.url}/v1`,
    OPENAI_API_KEY: "sk-bench-real",
    PROOFGATE_DEV_KEY: DEV_KEY,
    PROOFGATE_CONFIG: join(dir, "proofgate.config.json"),
    LOG_LEVEL: "warn",
  });
  const logger = pino({ level: "warn" }, pino.destination({ dest: log, sync: false }));
  const server: RunningServer = await startServer({ config, logger, drainTimeoutMs: 2_000 });
  // The simulator has no rate limits, so the per-model limiters (sized for real providers) are lifted;
  // attempts, backoff and concurrency stay at their defaults.
  const runtime = await startCalibrationRuntime({
    config,
    db: server.database.db,
    logger,
    queueConfig: { replay: { limiter: undefined, groupLimit: undefined }, judge: { limiter: undefined, groupLimit: undefined } },
  });
  return {
    db: server.database.db,
    proxyUrl: `http://127.0.0.1:${server.port}/v1`,
    runtime,
    async close() {
      await runtime.close(5_000);
      await server.close("bench done");
      await sim.close();
      await scratch.drop();
    },
  };
}

/** Sends a slice's prompts through the proxy as its application would; returns the prompt id proofgate gave it. */
export async function sendTraffic(proxyUrl: string, slice: Slice, concurrency = 16): Promise<{ promptId: string; sent: number }> {
  const client = new OpenAI({ baseURL: proxyUrl, apiKey: DEV_KEY, maxRetries: 2 });
  let promptId = "";
  let next = 0;
  const worker = async () => {
    while (next < slice.requests.length) {
      const messages = slice.requests[next++] as Message[];
      const { response } = await client.chat.completions
        .create(
          { model: slice.baseline, messages: messages as OpenAI.ChatCompletionMessageParam[], temperature: 0, max_tokens: 2048 },
          { headers: { "x-proofgate-prompt": slice.id } },
        )
        .withResponse();
      promptId ||= response.headers.get("x-proofgate-prompt") ?? "";
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { promptId, sent: slice.requests.length };
}

/** Waits until the capture writer has stored every exchange sent (captures are written off the request path). */
export async function waitForCaptures(db: Db, expected: Map<string, number>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let missing = 0;
    for (const [id, n] of expected) missing += Math.max(0, n - ((await getPrompt(db, id))?.captureCount ?? 0));
    if (missing === 0) return;
    if (Date.now() > deadline) throw new Error(`${missing} captures still not stored after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export type Outcome = {
  calibrationId: string;
  status: string;
  stopReason: string | null;
  report: ParityReport | null;
  spendUsd: number;
  /** mean cost per request of each model's replays in this calibration */
  costPerRequest: { baseline: number | null; candidate: number | null };
};

export async function runCalibration(pipeline: Pipeline, promptId: string, slice: Slice, seed: number): Promise<string> {
  const calibration = await startCalibration(pipeline.runtime.deps, { promptId, candidates: [slice.candidate], seed });
  return calibration.id;
}

export async function outcomeOf(db: Db, id: string, slice: Slice): Promise<Outcome> {
  const row = await getCalibration(db, id);
  const reports = (row?.report as { candidates?: Record<string, ParityReport> } | null)?.candidates ?? {};
  const batches = await listCalibrationBatches(db, id);
  const replays = (await Promise.all(batches.map((b) => listBatchReplays(db, id, b.batch)))).flat();
  const mean = (model: string) => {
    const costs = replays.filter((r) => r.model === model).map((r) => r.costUsd);
    return costs.length ? costs.reduce((a, b) => a + b, 0) / costs.length : null;
  };
  return {
    calibrationId: id,
    status: row?.status ?? "missing",
    stopReason: row?.stopReason ?? null,
    report: reports[slice.candidate] ?? null,
    spendUsd: row?.spendUsd ?? 0,
    costPerRequest: { baseline: mean(slice.baseline), candidate: mean(slice.candidate) },
  };
}
