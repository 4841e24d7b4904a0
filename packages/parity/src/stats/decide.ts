import type { AxisName, AxisState } from "./axis-state.ts";
import { differenceBound } from "./bounds.ts";

/**
 * How error is spent.
 * - Across axes: a switch needs every applicable axis to pass, so the false-switch event is contained in
 *   "some axis whose null is true passed". That is an intersection-union test: each axis tested at level
 *   alpha already bounds the false-switch rate by alpha; no split across axes is needed.
 * - Across candidates of one prompt: any candidate that passes could be switched to, so a false switch is
 *   the union of per-candidate false passes; each candidate's pass test runs at alpha / K (Bonferroni).
 * - Across looks: every test is an e-process checked against 1/level; Ville's inequality bounds the chance
 *   that it ever crosses, so looking after every batch, or stopping whenever, costs nothing.
 * - Failing: a candidate fails when any applicable axis fails, so that error (failing a candidate whose
 *   axes are all within their fail margins) is a union over axes: each fail test runs at beta / A.
 */
export interface DecisionParams {
  /** False-switch rate per prompt, e.g. 0.05. */
  alpha: number;
  /** Chance of failing a candidate whose every axis is within its fail margin, e.g. 0.05. */
  beta: number;
  /** Candidates calibrated for this prompt (K in alpha / K). */
  candidates: number;
  /** Pairs budget: reaching it without a verdict ends the calibration as inconclusive. */
  maxPairs: number;
  /** Money budget, with what has been spent so far (both in USD). */
  maxCostUsd?: number;
  spentUsd?: number;
}

export type Verdict = "pass" | "fail" | "continue" | "inconclusive";

export interface NotApplicableAxis {
  axis: AxisName;
  applicable: false;
  reason: string;
}

export type AxisInput = AxisState | NotApplicableAxis;

export interface AxisDecision {
  axis: AxisName;
  applicable: true;
  verdict: Verdict;
  n: number;
  /** Mean of d = s - t so far. */
  meanDifference: number;
  /** Anytime-valid bounds on E[d] at the latest look, from the same test as the verdict (pass and fail levels). */
  differenceUpperBound: number;
  differenceLowerBound: number;
  margin: number;
  failMargin: number;
  /** log e-values (highest seen at any look) of the pass and fail tests, and the thresholds they need. */
  passLogEvidence: number;
  failLogEvidence: number;
  passLogThreshold: number;
  failLogThreshold: number;
  reason: string;
}

export interface Decision {
  verdict: Verdict;
  reason: string;
  axes: (AxisDecision | NotApplicableAxis)[];
  alphaPerCandidate: number;
  betaPerAxis: number;
}

export function isAxisState(input: AxisInput): input is AxisState {
  return "version" in input;
}

export function meanOf(counts: AxisState["d"]): number {
  let n = 0;
  let sum = 0;
  for (const [x, c] of counts) {
    n += c;
    sum += x * c;
  }
  return n === 0 ? 0 : sum / n;
}

/** The settled outcome of one axis at its levels, if any: the cheap part of a decision, for simulations. */
export function settledOutcome(state: AxisState, passLevel: number, failLevel: number): "pass" | "fail" | undefined {
  if (state.fail.peakLogE >= Math.log(1 / failLevel)) return "fail";
  if (state.pass.peakLogE >= Math.log(1 / passLevel)) return "pass";
  return undefined;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} points`;

function decideAxis(state: AxisState, alphaPerCandidate: number, betaPerAxis: number, budgetSpent: boolean): AxisDecision {
  const passLogThreshold = Math.log(1 / alphaPerCandidate);
  const failLogThreshold = Math.log(1 / betaPerAxis);
  const upper = differenceBound(state, "at-least", alphaPerCandidate);
  const lower = differenceBound(state, "at-most", betaPerAxis);
  const outcome = settledOutcome(state, alphaPerCandidate, betaPerAxis);
  const mean = meanOf(state.d);
  const evidence = (logE: number) => `e-value ${Math.exp(Math.min(logE, 700)).toPrecision(3)}`;
  let verdict: Verdict;
  let reason: string;
  if (outcome === "fail") {
    verdict = "fail";
    reason =
      `After ${state.n} pairs the candidate agrees less than the baseline agrees with itself by more than ` +
      `${pct(state.failMargin)} (${evidence(state.fail.peakLogE)} >= ${(1 / betaPerAxis).toFixed(0)}); observed gap ${pct(mean)}.`;
  } else if (outcome === "pass") {
    verdict = "pass";
    reason =
      `After ${state.n} pairs the candidate is within ${pct(state.margin)} of the baseline's own agreement ` +
      `(${evidence(state.pass.peakLogE)} >= ${(1 / alphaPerCandidate).toFixed(0)} against "worse by the margin"); observed gap ${pct(mean)}.`;
  } else if (budgetSpent) {
    verdict = "inconclusive";
    reason =
      `The budget ended after ${state.n} pairs before the evidence settled: observed gap ${pct(mean)}, ` +
      `the gap is at most ${pct(upper)} with confidence, the margin is ${pct(state.margin)}.`;
  } else {
    verdict = "continue";
    reason = `${state.n} pairs so far: observed gap ${pct(mean)}, ${evidence(state.pass.peakLogE)} of ${(1 / alphaPerCandidate).toFixed(0)} needed to pass.`;
  }
  return {
    axis: state.axis,
    applicable: true,
    verdict,
    n: state.n,
    meanDifference: mean,
    differenceUpperBound: upper,
    differenceLowerBound: lower,
    margin: state.margin,
    failMargin: state.failMargin,
    passLogEvidence: state.pass.peakLogE,
    failLogEvidence: state.fail.peakLogE,
    passLogThreshold,
    failLogThreshold,
    reason,
  };
}

/** The verdict for one candidate of one prompt, from its per-axis states. Pure: same states, same decision. */
export function decide(axes: readonly AxisInput[], params: DecisionParams): Decision {
  if (!(params.alpha > 0 && params.alpha < 1 && params.beta > 0 && params.beta < 1)) throw new Error("alpha and beta must be in (0, 1)");
  if (!(Number.isInteger(params.candidates) && params.candidates >= 1)) throw new Error("candidates must be a positive integer");
  const states = axes.filter(isAxisState);
  const alphaPerCandidate = params.alpha / params.candidates;
  const betaPerAxis = params.beta / Math.max(1, states.length);
  const pairs = Math.max(0, ...states.map((s) => s.n));
  const moneySpent = params.maxCostUsd !== undefined && (params.spentUsd ?? 0) >= params.maxCostUsd;
  const budgetSpent = pairs >= params.maxPairs || moneySpent;
  const decided = axes.map((a) => (isAxisState(a) ? decideAxis(a, alphaPerCandidate, betaPerAxis, budgetSpent) : a));
  const applicable = decided.filter((a): a is AxisDecision => a.applicable);
  const result = (verdict: Verdict, reason: string): Decision => ({ verdict, reason, axes: decided, alphaPerCandidate, betaPerAxis });
  if (applicable.length === 0) return result("inconclusive", "No axis applies to this prompt, so there is nothing to prove.");
  const failing = applicable.filter((a) => a.verdict === "fail");
  if (failing.length > 0) return result("fail", `Fails on ${failing.map((a) => a.axis).join(", ")}: ${failing[0]?.reason ?? ""}`);
  if (applicable.every((a) => a.verdict === "pass")) {
    return result("pass", `Passes every applicable axis (${applicable.map((a) => a.axis).join(", ")}) at a false-switch rate of at most ${params.alpha}.`);
  }
  const open = applicable.filter((a) => a.verdict !== "pass").map((a) => a.axis);
  if (budgetSpent) {
    const which = moneySpent ? `the money budget (${params.maxCostUsd} USD)` : `the pairs budget (${params.maxPairs})`;
    return result("inconclusive", `Reached ${which} with ${open.join(", ")} still unsettled.`);
  }
  return result("continue", `Waiting on ${open.join(", ")}.`);
}
