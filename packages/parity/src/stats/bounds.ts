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
  let lo = DIFFERENCE_BOUNDS.lo;
  let hi = DIFFERENCE_BOUNDS.hi;
  if (side === "at-least") {
    if (state.pass.lastLogE >= threshold) hi = state.pass.nullMean;
    for (let i = 0; i < 24; i++) {
      const m = (lo + hi) / 2;
      if (rejects(m)) hi = m;
      else lo = m;
    }
    return hi;
  }
  if (state.fail.lastLogE >= threshold) lo = state.fail.nullMean;
  for (let i = 0; i < 24; i++) {
    const m = (lo + hi) / 2;
    if (rejects(m)) lo = m;
    else hi = m;
  }
  return lo;
}
