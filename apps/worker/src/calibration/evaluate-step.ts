import {
  finishCalibration,
  getPrompt,
  listBatchReplays,
  listCalibrationBatches,
  listCalibrationJudgments,
  markBatchEvaluated,
  refreshCalibrationSpend,
  type AxisScores,
  type CalibrationBatchRow,
  type CalibrationRow,
  type JudgmentRow,
} from "@proofgate/db";
import {
  buildParityReport,
  createAxisState,
  decide,
  estimateSavings,
  observeBatch,
  type AxisInput,
  type AxisName,
  type Decision,
  type ParityReport,
  type PositionConsistency,
} from "@proofgate/parity";
import type { EvaluatePayload } from "@proofgate/queue";
import { enqueueBatchReplays, openBatch } from "./open-batch.ts";
import { disagreementExamples } from "./report-examples.ts";
import { runningCalibration } from "./steps.ts";
import type { CalibrationSetup } from "./pair-scoring.ts";
import type { CalibrationDeps } from "./deps.ts";

const AXES: readonly AxisName[] = ["format", "categorical", "semantic"];

type ScoresBySample = Map<number, AxisScores>;

/**
 * The per-axis states of one candidate, folded batch by batch in sample order from what Postgres holds.
 * Pure given the judgments, so a re-run (a duplicate delivery, a recovery) reaches the same decision.
 */
function axisInputs(
  calibration: CalibrationRow,
  setup: CalibrationSetup,
  batches: readonly { firstSample: number; size: number }[],
  band: ScoresBySample,
  candidate: ScoresBySample,
): AxisInput[] {
  return AXES.map((axis): AxisInput => {
    if (axis === "categorical" && !setup.labelSpec.applicable) return { axis, applicable: false, reason: setup.labelSpec.reason };
    let state = createAxisState(axis, { margin: calibration.margins[axis] });
    for (const batch of batches) {
      const pairs: [number, number][] = [];
      for (let sample = batch.firstSample; sample < batch.firstSample + batch.size; sample++) {
        const s = band.get(sample)?.[axis];
        const t = candidate.get(sample)?.[axis];
        if (s !== undefined && s !== null && t !== undefined && t !== null) pairs.push([s, t]);
      }
      state = observeBatch(state, pairs);
    }
    return state;
  });
}

function consistencyOf(judgments: readonly JudgmentRow[]): Partial<Record<"categorical" | "semantic", PositionConsistency>> {
  const tally = { categorical: { judged: 0, consistent: 0 }, semantic: { judged: 0, consistent: 0 } };
  for (const j of judgments) {
    const details = (j.details ?? {}) as Record<string, { positionConsistent?: boolean } | undefined>;
    for (const kind of ["categorical", "semantic"] as const) {
      const judged = details[`${kind}Judge`];
      if (judged?.positionConsistent === undefined) continue;
      tally[kind].judged += 1;
      if (judged.positionConsistent) tally[kind].consistent += 1;
    }
  }
  return tally;
}

/**
 * Folds the finished batch into every undecided candidate's sequential test. Candidates still open get
 * another batch; when none is open (or no capture is left), the calibration ends with a report per
 * candidate. Every write is idempotent, so this may run again for the same batch without effect.
 */
export async function evaluateStep(deps: CalibrationDeps, p: EvaluatePayload): Promise<void> {
  const calibration = await runningCalibration(deps, p.calibrationId);
  if (!calibration) return;
  const setup = calibration.setup as CalibrationSetup;
  const batches = (await listCalibrationBatches(deps.db, calibration.id)).filter((b) => b.batch <= p.batch);
  const current = batches.at(-1);
  if (!current || current.batch !== p.batch) return;
  const judgments = (await listCalibrationJudgments(deps.db, calibration.id)).filter((j) => j.batch <= p.batch);
  const byModel = new Map<string, ScoresBySample>();
  for (const j of judgments) {
    const scores = byModel.get(j.model) ?? new Map();
    scores.set(j.sample, j.scores);
    byModel.set(j.model, scores);
  }
  const spent = await refreshCalibrationSpend(deps.db, calibration.id);
  const sizes = batches.map((b) => ({ firstSample: b.firstSample, size: b.captures.length }));
  const band = byModel.get(calibration.baselineModel) ?? new Map();
  const decisions = new Map<string, { axes: AxisInput[]; decision: Decision }>();
  for (const candidate of calibration.candidates) {
    const axes = axisInputs(calibration, setup, sizes, band, byModel.get(candidate) ?? new Map());
    const decision = decide(axes, {
      alpha: calibration.alpha,
      beta: calibration.alpha,
      candidates: calibration.candidates.length,
      maxPairs: calibration.maxPairs,
      maxCostUsd: calibration.maxCostUsd,
      spentUsd: spent,
    });
    decisions.set(candidate, { axes, decision });
  }
  const summary = Object.fromEntries([...decisions].map(([m, d]) => [m, { verdict: d.decision.verdict, reason: d.decision.reason }]));
  await markBatchEvaluated(deps.db, calibration.id, p.batch, { spendUsd: spent, candidates: summary });

  const open = calibration.candidates.filter((m) => decisions.get(m)?.decision.verdict === "continue");
  if (open.length > 0) {
    const pairsSoFar = current.firstSample + current.captures.length;
    const models = [calibration.baselineModel, ...open];
    // What one pair has cost per model so far (replay plus judging) sizes the next batch, so the money
    // budget is not overrun by a whole batch: at most by the spread of one pair's cost.
    const units = batches.reduce((sum, b) => sum + b.captures.length * b.models.length, 0);
    const perUnit = units > 0 ? spent / units : 0;
    const affordable = perUnit > 0 ? Math.floor((calibration.maxCostUsd - spent) / (perUnit * models.length)) : Infinity;
    const next = affordable >= 1 ? await openBatch(deps, calibration, p.batch + 1, models, pairsSoFar, affordable) : undefined;
    if (next) return enqueueBatchReplays(deps, calibration, next);
    const why =
      affordable < 1
        ? `Another pair would exceed the money budget ($${calibration.maxCostUsd}; spent $${spent.toFixed(2)}) after ${pairsSoFar} pairs`
        : `No unused capture left after ${pairsSoFar} pairs`;
    for (const model of open) {
      const d = decisions.get(model);
      if (d) d.decision = { ...d.decision, verdict: "inconclusive", reason: `${why}; ${d.decision.reason}` };
    }
  }
  const reports = await buildReports(deps, calibration, setup, batches, decisions, judgments, spent);
  await finishCalibration(deps.db, calibration.id, {
    status: "completed",
    report: { spendUsd: spent, pairs: current.firstSample + current.captures.length, candidates: reports },
  });
}

async function buildReports(
  deps: CalibrationDeps,
  calibration: CalibrationRow,
  setup: CalibrationSetup,
  batches: readonly CalibrationBatchRow[],
  decisions: Map<string, { axes: AxisInput[]; decision: Decision }>,
  judgments: readonly JudgmentRow[],
  spent: number,
): Promise<Record<string, ParityReport>> {
  const prompt = await getPrompt(deps.db, calibration.promptId);
  const replays = (await Promise.all(batches.map((b) => listBatchReplays(deps.db, calibration.id, b.batch)))).flat();
  const costsOf = (model: string) => replays.filter((r) => r.model === model).map((r) => r.costUsd);
  const windowDays = prompt ? Math.max(1, (prompt.lastSeenAt.getTime() - prompt.firstSeenAt.getTime()) / 86_400_000) : 1;
  const reports: Record<string, ParityReport> = {};
  for (const [model, { axes, decision }] of decisions) {
    const candidateCosts = costsOf(model);
    reports[model] = buildParityReport({
      prompt: calibration.promptId,
      baselineModel: calibration.baselineModel,
      candidateModel: model,
      alpha: calibration.alpha,
      axes,
      decision,
      examples: await disagreementExamples(deps.db, calibration.id, model, batches, judgments),
      consistency: consistencyOf(judgments),
      contract: setup.contract,
      labelSpec: setup.labelSpec,
      savings:
        prompt && candidateCosts.length > 0
          ? estimateSavings({
              requests: prompt.captureCount,
              windowDays,
              baselineCostsUsd: costsOf(calibration.baselineModel),
              candidateCostsUsd: candidateCosts,
              calibrationSpentUsd: spent,
              shadowShare: deps.config.routing.shadowShare,
            })
          : null,
    });
  }
  return reports;
}
