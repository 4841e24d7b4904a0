import {
  bumpCount,
  type Bounds,
  type NullSide,
  type ValueCounts,
  logFactor,
  mixtureLogE,
  PLUG_IN_WEIGHT,
  plugInStake,
} from "./betting.ts";
import type { AxisName } from "../axes.ts";

export const AXIS_STATE_VERSION = 1;

export type { AxisName };

/** Paired differences d = s - t of two agreement scores in [0, 1]. */
export const DIFFERENCE_BOUNDS: Bounds = { lo: -1, hi: 1 };

/** One running test: the plug-in wealth (log) and the highest combined evidence seen at any look. */
export interface TestTrack {
  /** Null boundary: "E[d] >= m" for the pass test, "E[d] <= m" for the fail test. */
  nullMean: number;
  /** Mean the plug-in bet is tuned for. */
  alternative: number;
  plugInLogWealth: number;
  /** log of the combined e-value at the last look, and its running maximum over looks. */
  lastLogE: number;
  peakLogE: number;
}

/**
 * Everything a calibration needs to resume one axis after a crash: plain JSON, updated only by
 * observeBatch, so the same pairs in the same batches always give the same state and the same decision.
 */
export interface AxisState {
  version: typeof AXIS_STATE_VERSION;
  axis: AxisName;
  margin: number;
  failMargin: number;
  /** Share of the plug-in bet in the averaged wealth; the mixture of fixed bets has the rest. */
  plugInWeight: number;
  n: number;
  looks: number;
  s: ValueCounts;
  t: ValueCounts;
  d: ValueCounts;
  /** Every d in order: the plug-in bets depend on the path, so confidence bounds replay it. */
  history: number[];
  pass: TestTrack;
  fail: TestTrack;
}

export interface AxisOptions {
  /** delta: the candidate passes once E[s - t] < margin is established. */
  margin: number;
  /**
   * The candidate fails once E[s - t] > failMargin is established. Default: the margin (fail = "worse than
   * the band by more than the margin"). 0 gives the futility design that mirrors Wald's SPRT (candidate
   * equal to the band vs worse by the margin): an equal candidate is then failed with probability <= beta.
   */
  failMargin?: number;
  /** The difference the pass bet is tuned for; default 0, a candidate exactly as good as the band. */
  designDifference?: number;
  /** Share of the plug-in bet (default PLUG_IN_WEIGHT); 0 leaves the plain mixture of bets, for comparison. */
  plugInWeight?: number;
}

export function createAxisState(axis: AxisName, options: AxisOptions): AxisState {
  const { margin } = options;
  const failMargin = options.failMargin ?? margin;
  const design = options.designDifference ?? 0;
  if (!(margin > 0 && margin < 1)) throw new Error(`margin must be in (0, 1), got ${margin}`);
  if (!(failMargin >= 0 && failMargin <= margin)) throw new Error(`failMargin must be in [0, margin], got ${failMargin}`);
  if (!(design < margin)) throw new Error("designDifference must be below the margin");
  const plugInWeight = options.plugInWeight ?? PLUG_IN_WEIGHT;
  if (!(plugInWeight >= 0 && plugInWeight <= 1)) throw new Error(`plugInWeight must be in [0, 1], got ${plugInWeight}`);
  const track = (nullMean: number, alternative: number): TestTrack => ({
    nullMean,
    alternative,
    plugInLogWealth: 0,
    lastLogE: 0,
    peakLogE: 0,
  });
  return {
    version: AXIS_STATE_VERSION,
    axis,
    margin,
    failMargin,
    plugInWeight,
    n: 0,
    looks: 0,
    s: [],
    t: [],
    d: [],
    history: [],
    pass: track(margin, design),
    // The fail bet is tuned as far above failMargin as the pass bet is below the margin.
    fail: track(failMargin, failMargin + (margin - design)),
  };
}

/** Scores are rounded so that float noise (0.1 + 0.2) does not split one value into two counts. */
function canonical(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

function advancePlugIn(track: TestTrack, side: NullSide, counts: ValueCounts, d: number): void {
  const stake = plugInStake(counts, side, track.nullMean, track.alternative, DIFFERENCE_BOUNDS);
  if (stake > 0) track.plugInLogWealth += logFactor(side, track.nullMean, stake, d, DIFFERENCE_BOUNDS);
}

export function combinedLogE(track: TestTrack, side: NullSide, counts: ValueCounts, weight: number): number {
  const plugIn = Math.log(weight) + track.plugInLogWealth;
  const mixture = Math.log(1 - weight) + mixtureLogE(counts, side, track.nullMean, DIFFERENCE_BOUNDS);
  const max = Math.max(plugIn, mixture);
  return max + Math.log(Math.exp(plugIn - max) + Math.exp(mixture - max));
}

/**
 * Adds a batch of pairs (s_i, t_i) in order, then takes one look: the evidence of both tests is evaluated
 * and its running maximum kept, which is what a later decision compares with its thresholds.
 */
export function observeBatch(state: AxisState, pairs: readonly (readonly [s: number, t: number])[]): AxisState {
  const next: AxisState = structuredClone(state);
  absorbBatch(next, pairs);
  return next;
}

/** observeBatch without the copy, for simulations that run millions of pairs; mutates `next`. */
export function absorbBatch(next: AxisState, pairs: readonly (readonly [s: number, t: number])[]): void {
  for (const [rawS, rawT] of pairs) {
    if (!(rawS >= 0 && rawS <= 1 && rawT >= 0 && rawT <= 1)) throw new Error(`scores must be in [0, 1], got (${rawS}, ${rawT})`);
    const s = canonical(rawS);
    const t = canonical(rawT);
    const d = canonical(s - t);
    // Bets are fixed from the counts before this pair: that is what makes them predictable.
    if (next.plugInWeight > 0) {
      advancePlugIn(next.pass, "at-least", next.d, d);
      advancePlugIn(next.fail, "at-most", next.d, d);
    }
    bumpCount(next.s, s);
    bumpCount(next.t, t);
    bumpCount(next.d, d);
    next.history.push(d);
    next.n += 1;
  }
  if (pairs.length > 0) {
    next.looks += 1;
    for (const [track, side] of [
      [next.pass, "at-least"],
      [next.fail, "at-most"],
    ] as const) {
      track.lastLogE = combinedLogE(track, side, next.d, next.plugInWeight);
      track.peakLogE = Math.max(track.peakLogE, track.lastLogE);
    }
  }
}

export function observePair(state: AxisState, s: number, t: number): AxisState {
  return observeBatch(state, [[s, t]]);
}
