/**
 * Betting e-processes for the mean of a bounded random variable, after Waudby-Smith & Ramdas, "Estimating
 * means of bounded random variables by betting" (JRSS-B, 2023). To test H0: E[X] >= m for X in [lo, hi],
 * bet on "below m" each round: wealth *= 1 + lambda (m - X) with 0 <= lambda < 1 / (hi - m). Under H0 the
 * wealth is a nonnegative supermartingale starting at 1 for any predictable lambda, so by Ville's inequality
 * P(wealth ever reaches 1/a) <= a: the test may be looked at after every observation without inflating a.
 * The mirror test of H0: E[X] <= m bets 1 + mu (X - m) with 0 <= mu < 1 / (m - lo).
 *
 * Two bets are combined by averaging their wealths (an average of test supermartingales is one):
 *  - a mixture over a fixed grid of lambdas (the "mixture of bets"), computed exactly from the counts of
 *    distinct values, so it is order-free and robust to any alternative;
 *  - a predictable plug-in bet: the Kelly bet against the null boundary m for the design alternative
 *    (e.g. "the candidate is exactly as good as the band"), with the shape of the distribution (its
 *    spread) learned from the past observations. Only the spread is estimated, not the mean, which is what
 *    makes the plug-in approach the log-optimal growth rate KL_inf quickly (Honda & Takemura's dual form
 *    KL_inf(P, m) = max_lambda E_P log(1 + lambda (m - X))).
 */

/** Counts of distinct observed values, sorted by value: the sufficient statistic of an i.i.d. sample. */
export type ValueCounts = [value: number, count: number][];

export type NullSide = "at-least" | "at-most";

export interface Bounds {
  lo: number;
  hi: number;
}

/** Largest fraction of the ruin-free bet range ever staked: one extreme observation keeps 3% of the wealth. */
export const MAX_STAKE = 0.97;
/** Grid of the mixture component: stakes u in (0, MAX_STAKE], uniform prior. */
export const MIXTURE_GRID = Array.from({ length: 32 }, (_, i) => ((i + 1) / 32) * MAX_STAKE);
/** Weight of the plug-in bet in the average; the mixture keeps the rest as a robust fallback. */
export const PLUG_IN_WEIGHT = 0.9;
/** Pseudo-observations that stand in for the spread before data arrives (a band near 0.85). */
export const PRIOR_PSEUDO_COUNT = 5;
const PRIOR_SPREAD_SHARE = 0.125;

/** The per-round log factor for a stake u in (0, 1) of the ruin-free range, or -Infinity on ruin. */
export function logFactor(side: NullSide, m: number, u: number, x: number, bounds: Bounds): number {
  const f = side === "at-least" ? 1 + (u * (m - x)) / (bounds.hi - m) : 1 + (u * (x - m)) / (m - bounds.lo);
  return f > 0 ? Math.log(f) : Number.NEGATIVE_INFINITY;
}

// Log factors over the grid for one (side, m, bounds) and value x: looks happen after every batch, and
// the values are few (d takes at most 9 values when scores are 0, 0.5 or 1), so they are computed once.
const gridCache = new Map<string, Map<number, Float64Array>>();
function gridRows(side: NullSide, m: number, bounds: Bounds): Map<number, Float64Array> {
  const key = `${side}|${m}|${bounds.lo}|${bounds.hi}`;
  let rows = gridCache.get(key);
  if (!rows) {
    if (gridCache.size > 1000) gridCache.clear();
    gridCache.set(key, (rows = new Map()));
  }
  return rows;
}

const scratch = new Float64Array(MIXTURE_GRID.length);

/** log of the mixture e-value against the null (side, m), from the counts alone. */
export function mixtureLogE(counts: ValueCounts, side: NullSide, m: number, bounds: Bounds): number {
  if (m >= bounds.hi && side === "at-least") return Number.POSITIVE_INFINITY;
  if (m <= bounds.lo && side === "at-most") return Number.POSITIVE_INFINITY;
  const rows = gridRows(side, m, bounds);
  scratch.fill(-Math.log(MIXTURE_GRID.length));
  for (const [x, c] of counts) {
    let row = rows.get(x);
    if (!row) rows.set(x, (row = Float64Array.from(MIXTURE_GRID, (u) => logFactor(side, m, u, x, bounds))));
    for (let j = 0; j < scratch.length; j++) scratch[j] = (scratch[j] as number) + c * (row[j] as number);
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const v of scratch) if (v > max) max = v;
  if (max === Number.NEGATIVE_INFINITY) return max;
  let sum = 0;
  for (const v of scratch) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

/**
 * The predictable plug-in stake u in [0, MAX_STAKE] for the next round: the Kelly-optimal stake against the
 * null boundary m if the data had mean `alternative`, with the spread taken from the counts so far plus a
 * few pseudo-observations. Any stake chosen before seeing the next value keeps the test valid.
 */
export function plugInStake(counts: ValueCounts, side: NullSide, m: number, alternative: number, bounds: Bounds): number {
  // Written with plain loops and no allocation: it runs once per pair and per test.
  const mid = (bounds.lo + bounds.hi) / 2;
  const edge = PRIOR_PSEUDO_COUNT * PRIOR_SPREAD_SHARE;
  const centre = PRIOR_PSEUDO_COUNT - 2 * edge;
  let total = PRIOR_PSEUDO_COUNT;
  let sum = edge * (bounds.lo + bounds.hi) + centre * mid;
  for (const [x, c] of counts) {
    total += c;
    sum += c * x;
  }
  const shift = alternative - sum / total;
  // Gain per unit stake of a (shifted) value, scaled so that u = 1 is the edge of the ruin-free range.
  const sign = side === "at-least" ? -1 : 1;
  const scale = side === "at-least" ? 1 / (bounds.hi - m) : 1 / (m - bounds.lo);
  const gain = (x: number) => sign * (x + shift - m) * scale;
  const gLo = gain(bounds.lo);
  const gMid = gain(mid);
  const gHi = gain(bounds.hi);
  let upper = MAX_STAKE;
  const cap = (g: number) => {
    if (g < 0) upper = Math.min(upper, 0.999 / -g);
  };
  cap(gLo);
  cap(gMid);
  cap(gHi);
  for (const [x] of counts) cap(gain(x));
  const slope = (u: number) => {
    let s = (edge * gLo) / (1 + u * gLo) + (centre * gMid) / (1 + u * gMid) + (edge * gHi) / (1 + u * gHi);
    for (const [x, c] of counts) {
      const g = gain(x);
      s += (c * g) / (1 + u * g);
    }
    return s;
  };
  if (slope(0) <= 0) return 0;
  if (slope(upper) >= 0) return upper;
  // The log-wealth is concave in u, so its slope is decreasing: bisection on the slope's sign.
  let lo = 0;
  let hi = upper;
  for (let i = 0; i < 18; i++) {
    const u = (lo + hi) / 2;
    if (slope(u) > 0) lo = u;
    else hi = u;
  }
  return lo;
}

/**
 * The confidence-sequence endpoint from the mixture: the smallest m (side "at-least": an upper bound on the
 * mean) or the largest m (side "at-most": a lower bound) not yet rejected at level a. The mixture e-value is
 * monotone in m, so bisection finds the edge.
 */
export function mixtureBound(counts: ValueCounts, side: NullSide, level: number, bounds: Bounds): number {
  const threshold = Math.log(1 / level);
  let lo = bounds.lo;
  let hi = bounds.hi;
  for (let i = 0; i < 40; i++) {
    const m = (lo + hi) / 2;
    const rejected = mixtureLogE(counts, side, m, bounds) >= threshold;
    if (side === "at-least") {
      if (rejected) hi = m;
      else lo = m;
    } else if (rejected) lo = m;
    else hi = m;
  }
  return side === "at-least" ? hi : lo;
}

/** Adds one observation to sorted value counts, in place. */
export function bumpCount(counts: ValueCounts, value: number): void {
  for (const entry of counts) {
    if (entry[0] === value) {
      entry[1] += 1;
      return;
    }
  }
  counts.push([value, 1]);
  counts.sort((a, b) => a[0] - b[0]);
}
