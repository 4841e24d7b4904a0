import type { AxisName } from "../stats/axis-state.ts";

/**
 * Drift watch after a switch. Each shadow sample scores, per axis, how well the served candidate output
 * agrees with a fresh baseline output: x_i in [0, 1], drawn like the calibration's t_i (captured baseline
 * vs candidate), since a fresh baseline output is another draw of the same baseline.
 *
 * The approval rested on E[s - t] < margin, i.e. E[t] > E[s] - margin. The watch tests
 *   H0: E[x] >= tau,  tau = bandLow - margin
 * with bandLow the lower end of the calibrated band's anytime-valid interval (conservative: a noisy band
 * estimate never raises a false alarm). Test by betting: for a fixed bet lambda in [0, 1/(1-tau)) the wealth
 * W_n = prod (1 + lambda (tau - x_i)) is a non-negative supermartingale under H0 (each factor is >= 0
 * for x in [0, 1] and has expectation <= 1). The average over a fixed grid of bets is one too, so by
 * Ville's inequality P(sup_n W_n >= 1/a) <= a: checking after every sample, forever, raises a false alarm
 * with probability at most a. Alpha is split evenly over the axes watched (Bonferroni).
 */

export interface CalibratedAxis {
  axis: AxisName;
  /** Lower end of the calibrated band (baseline self-agreement), in [0, 1]. */
  bandLow: number;
  margin: number;
}

export type DriftScores = Partial<Record<AxisName, number | null>>;

export interface DriftAxisState {
  axis: AxisName;
  threshold: number;
  n: number;
  mean: number;
  /** log of the mixture wealth; the alarm fires at log(axes / alpha). */
  logWealth: number;
  alarm: boolean;
}

export interface DriftResult {
  alarm: boolean;
  /** The first axis in alarm, for the audit reason. */
  axis: AxisName | null;
  samples: number;
  axes: DriftAxisState[];
  reason: string;
}

/** Fractions of the largest admissible bet 1/(1-tau) mixed over. */
export const DRIFT_BET_GRID: readonly number[] = [0.1, 0.25, 0.5, 0.75, 0.9];

function logMeanExp(logs: readonly number[]): number {
  const top = Math.max(...logs);
  return top + Math.log(logs.reduce((s, l) => s + Math.exp(l - top), 0) / logs.length);
}

/** Folds the samples in order and reports, per axis, whether the drift alarm has fired. */
export function driftTest(axes: readonly CalibratedAxis[], samples: readonly DriftScores[], alpha = 0.05): DriftResult {
  const watched = axes.filter((a) => Number.isFinite(a.bandLow));
  const level = Math.log(Math.max(1, watched.length) / alpha);
  const states = watched.map((a): DriftAxisState => {
    const tau = Math.min(1, Math.max(0, a.bandLow - a.margin));
    const bets = DRIFT_BET_GRID.map((c) => (tau >= 1 ? 0 : c / (1 - tau)));
    const logs = bets.map(() => 0);
    let n = 0;
    let sum = 0;
    let alarm = false;
    for (const sample of samples) {
      const x = sample[a.axis];
      if (x === null || x === undefined) continue;
      const clamped = Math.min(1, Math.max(0, x));
      n += 1;
      sum += clamped;
      for (let j = 0; j < bets.length; j++) logs[j] = logs[j]! + Math.log1p(bets[j]! * (tau - clamped));
      // Once the wealth crossed 1/a the alarm stands: the guarantee is about ever crossing.
      if (!alarm && tau > 0 && logMeanExp(logs) >= level) alarm = true;
    }
    return { axis: a.axis, threshold: tau, n, mean: n === 0 ? 1 : sum / n, logWealth: logMeanExp(logs), alarm };
  });
  const fired = states.find((s) => s.alarm) ?? null;
  const samplesSeen = Math.max(0, ...states.map((s) => s.n));
  const reason = fired
    ? `drift on ${fired.axis}: agreement with the baseline averages ${fired.mean.toFixed(3)} over ${fired.n} shadow samples, ` +
      `below the approved floor ${fired.threshold.toFixed(3)} (calibrated band minus margin) at level ${alpha}`
    : `no drift after ${samplesSeen} shadow samples`;
  return { alarm: fired !== null, axis: fired?.axis ?? null, samples: samplesSeen, axes: states, reason };
}
