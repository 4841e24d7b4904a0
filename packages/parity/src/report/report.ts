import type { FormatContract } from "../format/contract.ts";
import type { JudgeKind } from "../judging/protocol.ts";
import type { PositionConsistency } from "../judging/score.ts";
import type { LabelSpec } from "../labels/label-spec.ts";
import { type Bounds, mixtureBound } from "../stats/betting.ts";
import type { AxisName, AxisState } from "../stats/axis-state.ts";
import { type AxisDecision, type AxisInput, type Decision, isAxisState, meanOf, type Verdict } from "../stats/decide.ts";
import { wilsonInterval } from "../stats/intervals.ts";
import type { SavingsEstimate } from "./savings.ts";

export const PARITY_REPORT_VERSION = 1;

const SCORE_BOUNDS: Bounds = { lo: 0, hi: 1 };

export interface MeanWithInterval {
  mean: number;
  /** Anytime-valid two-sided interval (betting confidence sequence at the calibration's alpha). */
  low: number;
  high: number;
  n: number;
}

export interface AxisReport {
  axis: AxisName;
  applicable: true;
  /** How much the baseline agrees with itself (s). */
  band: MeanWithInterval;
  /** How much the candidate agrees with the baseline (t). */
  candidate: MeanWithInterval;
  /** E[s - t]: observed mean and the anytime-valid upper bound compared with the margin. */
  difference: { mean: number; upperBound: number; lowerBound: number };
  margin: number;
  verdict: Verdict;
  reason: string;
}

/** One pair worth showing a reviewer: where the candidate disagreed with the captured output. */
export interface DisagreementExample {
  axis: AxisName;
  captureId: string;
  task: string;
  reference: string;
  candidate: string;
  /** t for this pair: 0 (disagrees) to 1. */
  score: number;
  /** Judge reason or contract violation that explains the score. */
  note: string;
}

export interface JudgeConsistencyReport {
  kind: JudgeKind;
  judged: number;
  consistent: number;
  rate: number;
  low: number;
  high: number;
}

export interface ParityReport {
  version: typeof PARITY_REPORT_VERSION;
  prompt: string;
  baselineModel: string;
  candidateModel: string;
  verdict: Verdict;
  reason: string;
  alpha: number;
  alphaPerCandidate: number;
  pairs: number;
  axes: (AxisReport | { axis: AxisName; applicable: false; reason: string })[];
  examples: DisagreementExample[];
  judgeConsistency: JudgeConsistencyReport[];
  savings: SavingsEstimate | null;
  contract: FormatContract | null;
  labelSpec: LabelSpec | null;
}

export interface ParityReportInput {
  prompt: string;
  baselineModel: string;
  candidateModel: string;
  alpha: number;
  axes: readonly AxisInput[];
  decision: Decision;
  examples?: readonly DisagreementExample[];
  /** How many examples to keep per axis (worst scores first). */
  examplesPerAxis?: number;
  consistency?: Partial<Record<JudgeKind, PositionConsistency>>;
  savings?: SavingsEstimate | null;
  contract?: FormatContract | null;
  labelSpec?: LabelSpec | null;
}

function meanWithInterval(counts: AxisState["s"], level: number): MeanWithInterval {
  const n = counts.reduce((a, [, c]) => a + c, 0);
  return {
    mean: meanOf(counts),
    low: n === 0 ? 0 : mixtureBound(counts, "at-most", level / 2, SCORE_BOUNDS),
    high: n === 0 ? 1 : mixtureBound(counts, "at-least", level / 2, SCORE_BOUNDS),
    n,
  };
}

/** Keeps the clearest disagreements: lowest scores first, then input order; a few per axis. */
export function selectDisagreementExamples(examples: readonly DisagreementExample[], perAxis = 3): DisagreementExample[] {
  const byAxis = new Map<AxisName, DisagreementExample[]>();
  for (const example of examples) {
    if (example.score >= 1) continue;
    const list = byAxis.get(example.axis) ?? [];
    list.push(example);
    byAxis.set(example.axis, list);
  }
  return [...byAxis.values()].flatMap((list) =>
    list
      .map((e, i) => [e, i] as const)
      .sort((a, b) => a[0].score - b[0].score || a[1] - b[1])
      .slice(0, perAxis)
      .map(([e]) => e),
  );
}

export function buildParityReport(input: ParityReportInput): ParityReport {
  const decided = new Map(input.decision.axes.map((a) => [a.axis, a]));
  const level = input.decision.alphaPerCandidate;
  const axes = input.axes.map((axis): ParityReport["axes"][number] => {
    if (!isAxisState(axis)) return axis;
    const decision = decided.get(axis.axis) as AxisDecision | undefined;
    if (!decision?.applicable) throw new Error(`the decision has no verdict for axis ${axis.axis}`);
    return {
      axis: axis.axis,
      applicable: true,
      band: meanWithInterval(axis.s, level),
      candidate: meanWithInterval(axis.t, level),
      difference: { mean: decision.meanDifference, upperBound: decision.differenceUpperBound, lowerBound: decision.differenceLowerBound },
      margin: axis.margin,
      verdict: decision.verdict,
      reason: decision.reason,
    };
  });
  const judgeConsistency = Object.entries(input.consistency ?? {}).flatMap(([kind, tally]) => {
    if (!tally || tally.judged === 0) return [];
    const { low, high } = wilsonInterval(tally.consistent, tally.judged);
    return [{ kind: kind as JudgeKind, judged: tally.judged, consistent: tally.consistent, rate: tally.consistent / tally.judged, low, high }];
  });
  return {
    version: PARITY_REPORT_VERSION,
    prompt: input.prompt,
    baselineModel: input.baselineModel,
    candidateModel: input.candidateModel,
    verdict: input.decision.verdict,
    reason: input.decision.reason,
    alpha: input.alpha,
    alphaPerCandidate: level,
    pairs: Math.max(0, ...input.axes.filter(isAxisState).map((a) => a.n)),
    axes,
    examples: selectDisagreementExamples(input.examples ?? [], input.examplesPerAxis ?? 3),
    judgeConsistency,
    savings: input.savings ?? null,
    contract: input.contract ?? null,
    labelSpec: input.labelSpec ?? null,
  };
}
