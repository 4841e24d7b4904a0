// A paired percentile bootstrap of a mean difference. No maintained npm package offers paired bootstrap
// intervals (the statistics libraries stop at plain resampling helpers), and the resampling is a few lines.
// Seeded (parity's mulberry32), so the same data always give the same interval.
import { mulberry32 as rng } from "../../packages/parity/src/index.ts";

export type GapInterval = { gap: number; low: number; high: number; n: number };

/** Mean of base - cand over paired items, with a 95% percentile bootstrap interval (items resampled). */
export function pairedGap(base: readonly number[], cand: readonly number[], options: { reps?: number; seed?: number } = {}): GapInterval {
  const n = base.length;
  if (n === 0 || n !== cand.length) throw new Error("paired samples must be non-empty and of equal length");
  const diffs = base.map((b, i) => b - (cand[i] as number));
  const mean = diffs.reduce((a, b) => a + b, 0) / n;
  const reps = options.reps ?? 2000;
  const next = rng(options.seed ?? 1);
  const means = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += diffs[Math.floor(next() * n)] as number;
    means[r] = sum / n;
  }
  means.sort();
  return { gap: mean, low: means[Math.floor(0.025 * reps)] as number, high: means[Math.ceil(0.975 * reps) - 1] as number, n };
}

export type Truth = "safe" | "unsafe" | "uncertain";

/**
 * Safe: the whole interval of the gap lies below the margin (the candidate is within the margin of the
 * baseline). Unsafe: the whole interval lies above it (clearly worse by more than the margin).
 */
export function truthOf(g: GapInterval, margin: number): Truth {
  if (g.high < margin) return "safe";
  if (g.low > margin) return "unsafe";
  return "uncertain";
}
