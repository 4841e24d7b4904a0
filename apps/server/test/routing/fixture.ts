import { randomUUID } from "node:crypto";
import { insertCalibration, insertCalibrationBatch, recentCaptures, type Db } from "@proofgate/db";
import { inferContract, inferLabelSpec } from "@proofgate/parity";
import { groundTruth, type Scenario } from "@proofgate/simulator";

/**
 * A finished calibration of the prompt with a passing report for the candidate, made on the prompt's real
 * captures (so fingerprint and contract are the real ones). The calibration pipeline that produces such a
 * report is tested on its own (apps/worker/test/calibration-flow.test.ts); here only its outcome matters.
 * The band floors are the simulator's expected judged agreement minus 0.03, what ~300 pairs would give.
 */
export async function seedPassingCalibration(
  db: Db,
  o: { promptId: string; scenario: Scenario; family: string; baseline: string; candidate: string; verdict?: "pass" | "fail" },
): Promise<string> {
  const captures = (await recentCaptures(db, o.promptId, 40)).filter((c) => c.route === "baseline" && c.outputText);
  const outputs = captures.map((c) => c.outputText!);
  const contract = inferContract(outputs);
  const labelSpec = inferLabelSpec(outputs);
  const truth = groundTruth(o.scenario, o.family, o.baseline, o.candidate);
  const band = (mean: number) => ({ mean, low: mean - 0.03, high: Math.min(1, mean + 0.03), n: 300 });
  const axis = (name: "format" | "categorical" | "semantic", mean: number) => ({
    axis: name,
    applicable: true,
    band: band(mean),
    candidate: band(mean - 0.002),
    difference: { mean: 0.002, upperBound: 0.03, lowerBound: -0.03 },
    margin: 0.05,
    verdict: "pass",
    reason: "within the margin",
  });
  const verdict = o.verdict ?? "pass";
  const report = {
    version: 1,
    prompt: o.promptId,
    baselineModel: o.baseline,
    candidateModel: o.candidate,
    verdict,
    reason: verdict === "pass" ? "every axis within its margin" : "categorical agreement below the band by more than the margin",
    alpha: 0.05,
    alphaPerCandidate: 0.05,
    pairs: 300,
    axes: [axis("format", truth.format.band), axis("categorical", truth.judged.categorical?.band ?? truth.categorical.band), axis("semantic", truth.judged.semantic?.band ?? truth.semantic.band)],
    examples: [],
    judgeConsistency: [],
    savings: null,
    contract,
    labelSpec,
  };
  const id = randomUUID();
  await insertCalibration(db, {
    id,
    promptId: o.promptId,
    baselineModel: o.baseline,
    candidates: [o.candidate],
    status: "completed",
    maxPairs: 400,
    maxCostUsd: 10,
    batchSize: 20,
    alpha: 0.05,
    margins: { format: 0.05, categorical: 0.05, semantic: 0.05 },
    seed: 1,
    setup: { contract, labelSpec },
    report: { spendUsd: 0.1, pairs: 300, candidates: { [o.candidate]: report } },
    finishedAt: new Date(),
  });
  await insertCalibrationBatch(db, {
    calibrationId: id,
    batch: 0,
    firstSample: 0,
    captures: captures.map((c) => ({ captureId: c.id, createdAt: c.createdAt.toISOString() })),
    models: [o.baseline, o.candidate],
  });
  return id;
}
