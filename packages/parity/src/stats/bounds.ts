import { type NullSide, bumpCount, logFactor, plugInStake, type ValueCounts } from "./betting.ts";
import { type AxisState, combinedLogE, DIFFERENCE_BOUNDS, type TestTrack } from "./axis-state.ts";

/**
 * log e-value at the latest look of the same combined test the decision uses, against the null boundary m
 * instead of the margin: the plug-in bets are replayed over the stored differences, tuned as far from m as
 * the decision's bets are from the margin.
 */
export function replayLogE(state: AxisState, side: NullSide, m: number): number {
  const template = side === "at-least" ? state.pass : state.fail;
  const offset = template.alternative - template.nullMean;
  const track: TestTrack = { nullMean: m, alternative: m + offset, plugInLogWealth: 0, lastLogE: 0, peakLogE: 0 };
  const counts: ValueCounts = [];
  for (const d of state.history) {
    if (state.plugInWeight > 0) {
      const stake = plugInStake(counts, side, m, track.alternative, DIFFERENCE_BOUNDS);
      if (stake > 0) track.plugInLogWealth += logFactor(side, m, stake, d, DIFFERENCE_BOUNDS);
    }
    bumpCount(counts, d);
  }
  return combinedLogE(track, side, counts, state.plugInWeight);
}

/**
 * Anytime-valid bound on E[d] from the decision's own test: the edge of the set of means m the test does
 * not reject at `level` (side "at-least": an upper bound; "at-most": a lower bound). Found by bisection,
 * starting from the decision's own boundary when it already rejects there, so a passed axis never shows a
 * bound above its margin (nor a failed one a lower bound below its fail margin).
 */
export function differenceBound(state: AxisState, side: NullSide, level: number): number {
  const threshold = Math.log(1 / level);
  const rejects = (m: number) => replayLogE(state, side, m) >= threshold;
  const mean = meanOfCounts(state.d);
  // Each probe replays every pair, so the bracket starts tight: between the observed mean (almost never
  // rejected) and the decision's own boundary when it already rejects there.
  if (side === "at-least") {
    let lo = rejects(mean) ? DIFFERENCE_BOUNDS.lo : mean;
    let hi = state.pass.lastLogE >= threshold ? state.pass.nullMean : DIFFERENCE_BOUNDS.hi;
    if (hi < lo) return hi;
    for (let i = 0; i < BISECTION_STEPS; i++) {
      const m = (lo + hi) / 2;
      if (rejects(m)) hi = m;
      else lo = m;
    }
    return hi;
  }
  let lo = state.fail.lastLogE >= threshold ? state.fail.nullMean : DIFFERENCE_BOUNDS.lo;
  let hi = rejects(mean) ? DIFFERENCE_BOUNDS.hi : mean;
  if (hi < lo) return lo;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const m = (lo + hi) / 2;
    if (rejects(m)) lo = m;
    else hi = m;
  }
  return lo;
}

/** Bound precision: at most 2 / 2^16, about 0.003 points. */
const BISECTION_STEPS = 16;

function meanOfCounts(counts: ValueCounts): number {
  let n = 0;
  let sum = 0;
  for (const [x, c] of counts) {
    n += c;
    sum += x * c;
  }
  return n === 0 ? 0 : sum / n;
}
