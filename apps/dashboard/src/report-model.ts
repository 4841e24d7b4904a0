import { meanOf, mixtureBound, type AxisDecision, type AxisName, type AxisState, type Decision, type Verdict } from "@proofgate/parity";
import type { AxisChartInput, Interval } from "./views/interval-chart.ts";

const UNIT = { lo: 0, hi: 1 };

/**
 * Mean agreement with an anytime-valid interval at the report's level, from the engine's own confidence
 * sequence: the chart then shows the same kind of interval as the one the verdict rests on.
 */
export function agreementInterval(counts: AxisState["s"], level: number): Interval {
  if (counts.length === 0) return { mean: Number.NaN, low: 0, high: 1 };
  return {
    mean: meanOf(counts),
    low: mixtureBound(counts, "at-most", level / 2, UNIT),
    high: mixtureBound(counts, "at-least", level / 2, UNIT),
  };
}

export const AXIS_TITLES: Record<AxisName, string> = {
  format: "Format",
  categorical: "Labels",
  semantic: "Meaning",
};

export const AXIS_QUESTIONS: Record<AxisName, string> = {
  format: "Does the answer keep the format the baseline's answers have (the format contract)?",
  categorical: "Does the answer carry the same labels, or one a blind judge finds just as acceptable?",
  semantic: "Does the answer say the same thing with the same downstream effect, by a blind judge in both orders?",
};

const points = (x: number) => `${(x * 100).toFixed(1)}`;
const percent = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "—");

function evidenceWords(logEvidence: number, logThreshold: number): string {
  const e = Math.exp(Math.min(logEvidence, 700));
  return `e-value ${e >= 1000 ? e.toExponential(1) : e.toFixed(1)}, ${Math.exp(logThreshold).toFixed(0)} needed`;
}

export interface AxisEvidence {
  axis: AxisName;
  verdict: Verdict;
  chart: AxisChartInput;
  pairs: number;
  /** One sentence a person can act on; the engine's own reason is kept for the statistical detail. */
  summary: string;
  detail: string;
}

export function axisEvidence(state: AxisState, decision: AxisDecision, alpha: number): AxisEvidence {
  const band = agreementInterval(state.s, alpha);
  const candidate = agreementInterval(state.t, alpha);
  const gap = { mean: decision.meanDifference, low: decision.differenceLowerBound, high: decision.differenceUpperBound };
  const agreeing = `The candidate agrees with the baseline's answers ${percent(candidate.mean)} of the time; the baseline agrees with itself ${percent(band.mean)} of the time.`;
  let verdictWords: string;
  switch (decision.verdict) {
    case "pass":
      // The verdict rests on the combined e-process; the interval drawn is the mixture bound alone, which can
      // be wider. Say so rather than print "at most 5.4, inside the 5.0 margin".
      verdictWords =
        gap.high < decision.margin
          ? `The gap is at most ${points(gap.high)} points with confidence, inside the ${points(decision.margin)}-point margin.`
          : `The evidence that the gap is under the ${points(decision.margin)}-point margin crossed its threshold (${evidenceWords(decision.passLogEvidence, decision.passLogThreshold)}); the more conservative interval drawn still reaches ${points(gap.high)} points.`;
      break;
    case "fail":
      verdictWords =
        gap.low > decision.failMargin
          ? `The gap is at least ${points(gap.low)} points with confidence, beyond the ${points(decision.failMargin)}-point limit.`
          : `The evidence that the gap exceeds the ${points(decision.failMargin)}-point limit crossed its threshold (${evidenceWords(decision.failLogEvidence, decision.failLogThreshold)}); the more conservative interval drawn starts at ${points(gap.low)} points.`;
      break;
    default:
      verdictWords = `The gap lies between ${points(gap.low)} and ${points(gap.high)} points: not yet clearly inside or outside the ${points(decision.margin)}-point margin.`;
  }
  return {
    axis: state.axis,
    verdict: decision.verdict,
    pairs: state.n,
    chart: {
      label: `${AXIS_TITLES[state.axis]}: baseline agrees with itself ${percent(band.mean)} (${percent(band.low)} to ${percent(band.high)}), candidate ${percent(candidate.mean)} (${percent(candidate.low)} to ${percent(candidate.high)}); gap ${points(gap.mean)} points, between ${points(gap.low)} and ${points(gap.high)}, margin ${points(decision.margin)}.`,
      band,
      candidate,
      gap,
      margin: decision.margin,
    },
    summary: `${agreeing} ${verdictWords}`,
    detail: decision.reason,
  };
}

/** The verdict of a candidate in the words a person deciding to switch needs. */
export function verdictWords(decision: Decision, alpha: number): string {
  const failing = decision.axes.filter((a): a is AxisDecision => a.applicable && a.verdict === "fail").map((a) => AXIS_TITLES[a.axis].toLowerCase());
  switch (decision.verdict) {
    case "pass":
      return `Safe to switch. On every axis that applies, the candidate agrees with the baseline's answers within the margin of how well the baseline agrees with itself. The chance that this is a false pass is at most ${alpha}, however often the evidence was looked at.`;
    case "fail":
      return `Not safe to switch. On ${failing.join(" and ")} the candidate disagrees with the baseline's answers clearly more than the baseline disagrees with itself.`;
    case "inconclusive":
      return `No verdict. ${decision.reason} Keeping the baseline is the safe choice; a larger budget may settle it.`;
    case "continue":
      return "Calibration in progress: the evidence has not settled yet.";
  }
}

export interface Savings {
  baselineMonthlyUsd: number;
  candidateMonthlyUsd: number;
}

export function monthlySavings(s: Savings): number {
  return s.baselineMonthlyUsd - s.candidateMonthlyUsd;
}
