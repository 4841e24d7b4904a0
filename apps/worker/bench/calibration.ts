// pnpm bench (apps/worker): calibrates every synthetic simulator scenario, family by family, for several
// seeds, and compares each verdict with the scenario's ground truth. Prints one line per candidate, then a
// JSON summary as the last line. Env: SEEDS (2), SCENARIOS (all synthetic), LATENCY (1: simulated
// latency on), CAPTURES (400), MAX_PAIRS (400), BATCH (25), DATABASE_URL (else an embedded PGlite).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getCalibration, migrate, openDatabase } from "@proofgate/db";
import { InProcessDriver } from "@proofgate/queue";
import { groundTruth, loadScenario, startSimulator } from "@proofgate/simulator";
import { pino } from "pino";
import { calibrationProcessors, startCalibration, startWorkers, type CalibrationDeps } from "../src/index.ts";
import { configFor, scenarioPath, seedCaptures, simulatedUpstream } from "../test/calibration-fixture.ts";

const seeds = Array.from({ length: Number(process.env.SEEDS ?? 2) }, (_, i) => i + 1);
const latency = (process.env.LATENCY ?? "1") !== "0";
const captures = Number(process.env.CAPTURES ?? 400);
const maxPairs = Number(process.env.MAX_PAIRS ?? 400);
const batchSize = Number(process.env.BATCH ?? 25);
const scenariosDir = fileURLToPath(new URL("../../../fixtures/scenarios/", import.meta.url));
const synthetic = readdirSync(scenariosDir)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.replace(/\.json$/, ""))
  .filter((name) => {
    const s = loadScenario(scenarioPath(name));
    return (s.candidates?.length ?? 0) > 0 && s.families.every((f) => f.kind !== "recorded");
  });
const scenarios = process.env.SCENARIOS ? process.env.SCENARIOS.split(",") : synthetic;

interface Row {
  scenario: string;
  seed: number;
  family: string;
  candidate: string;
  truth: "within" | "outside";
  verdict: string;
  status: string;
  pairs: number;
  spendUsd: number;
  seconds: number;
}

const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), "proofgate-bench-"));
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: dataDir ?? "", max: 24 });
await migrate(database.db, { monthsAhead: 1 });
const rows: Row[] = [];
const wall = performance.now();

for (const name of scenarios) {
  for (const seed of seeds) {
    // Captures come from a latency-free twin (same scenario and seed, so the same outputs); the
    // calibration itself meets the simulated latency.
    const seeder = await simulatedUpstream(name, seed);
    const scenario = seeder.scenario;
    const families = scenario.families.map((f) => f.name);
    for (const family of families) await seedCaptures(database.db, seeder, family, captures, { promptId: `${name}/${seed}/${family}`, seed });
    await seeder.close();
    const upstream = latency ? { ...seeder, simulator: await startSimulator({ scenario, seed, latency: true }) } : await simulatedUpstream(name, seed);
    const { Upstreams } = await import("@proofgate/providers");
    const upstreams = new Upstreams({ openaiUrl: `${upstream.simulator.url}/v1`, anthropicUrl: upstream.simulator.url, openaiKey: "sk-bench", anthropicKey: "sk-bench", timeoutMs: 60_000, connections: 64 });
    const driver = new InProcessDriver({
      config: {
        replay: { concurrency: 16, limiter: undefined, groupLimit: undefined },
        judge: { concurrency: 16, limiter: undefined, groupLimit: undefined },
        evaluate: { concurrency: 4 },
      },
    });
    const deps: CalibrationDeps = { db: database.db, queue: driver, upstreams, prices: seeder.prices, config: configFor(scenario, { maxPairs, batchSize }) };
    const workers = startWorkers({ driver, processors: calibrationProcessors(deps), logger: pino({ level: process.env.LOG_LEVEL ?? "silent" }) });
    await Promise.all(
      families.map(async (family) => {
        const started = performance.now();
        const calibration = await startCalibration(deps, { promptId: `${name}/${seed}/${family}`, seed });
        let row = await getCalibration(database.db, calibration.id);
        while (row?.status === "running") {
          await new Promise((r) => setTimeout(r, 200));
          row = await getCalibration(database.db, calibration.id);
        }
        const reports = (row?.report as { candidates?: Record<string, { verdict: string; pairs: number }> } | null)?.candidates ?? {};
        for (const candidate of scenario.candidates ?? []) {
          const truth = groundTruth(scenario, family, scenario.baseline ?? "", candidate).withinMargin ? "within" : "outside";
          const report = reports[candidate];
          const result: Row = {
            scenario: name,
            seed,
            family,
            candidate,
            truth,
            verdict: report?.verdict ?? "none",
            status: row?.status ?? "missing",
            pairs: report?.pairs ?? 0,
            spendUsd: row?.spendUsd ?? 0,
            seconds: (performance.now() - started) / 1000,
          };
          rows.push(result);
          console.log(
            [name, `seed ${seed}`, family, candidate, `truth ${truth}`, `${result.status}/${result.verdict}`, `${result.pairs} pairs`, `$${result.spendUsd.toFixed(4)}`, `${result.seconds.toFixed(1)} s`].join("  "),
          );
        }
      }),
    );
    await workers.close(5_000);
    await upstreams.close();
    await upstream.simulator.close();
  }
}

const decided = rows.filter((r) => r.verdict === "pass" || r.verdict === "fail");
const correct = decided.filter((r) => (r.verdict === "pass") === (r.truth === "within"));
const pairs = decided.map((r) => r.pairs).sort((a, b) => a - b);
const summary = {
  scenarios: scenarios.length,
  seeds: seeds.length,
  latency,
  candidates: rows.length,
  decided: decided.length,
  accuracy: decided.length ? correct.length / decided.length : null,
  falsePasses: rows.filter((r) => r.verdict === "pass" && r.truth === "outside").length,
  falseFails: rows.filter((r) => r.verdict === "fail" && r.truth === "within").length,
  inconclusive: rows.filter((r) => r.verdict === "inconclusive").length,
  stopped: rows.filter((r) => r.status === "stopped").length,
  meanPairsToVerdict: pairs.length ? pairs.reduce((a, b) => a + b, 0) / pairs.length : null,
  medianPairsToVerdict: pairs.length ? pairs[Math.floor(pairs.length / 2)] : null,
  spendUsd: Number(rows.reduce((sum, r) => sum + r.spendUsd / Math.max(1, (loadScenario(scenarioPath(r.scenario)).candidates ?? []).length), 0).toFixed(4)),
  wallSeconds: Number(((performance.now() - wall) / 1000).toFixed(1)),
};
await database.close();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify(summary));
