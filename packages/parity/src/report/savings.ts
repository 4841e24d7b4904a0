import { mean, probit, sampleStandardDeviation } from "simple-statistics";
import { DAYS_PER_MONTH } from "./rates.ts";

export interface SavingsInput {
  /** Calls of this prompt observed over the window. */
  requests: number;
  windowDays: number;
  /** Per-request cost samples in USD: captured baseline calls and candidate replays of the same requests. */
  baselineCostsUsd: readonly number[];
  candidateCostsUsd: readonly number[];
  /** Spent on replays and judging so far for this calibration. */
  calibrationSpentUsd: number;
  /** Share of candidate-served traffic still shadowed to the baseline after a switch (drift watch). */
  shadowShare?: number;
  /** Share of candidate-served calls expected to fall back to the baseline (format failures). */
  fallbackRate?: number;
  confidence?: number;
}

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface SavingsEstimate {
  monthlyRequests: Interval;
  monthlyCostNowUsd: Interval;
  monthlyCostWithCandidateUsd: Interval;
  monthlySavingUsd: Interval;
  calibrationSpentUsd: number;
  /**
   * Days of saving needed to earn back the calibration; null when there is no saving. high is null when
   * the low end of the saving is not positive (the payback may never come).
   */
  paybackDays: { estimate: number; low: number; high: number | null } | null;
  explanation: string;
}

function meanInterval(samples: readonly number[], z: number): Interval {
  if (samples.length === 0) return { estimate: 0, low: 0, high: 0 };
  const m = mean([...samples]);
  const half = samples.length > 1 ? (z * sampleStandardDeviation([...samples])) / Math.sqrt(samples.length) : 0;
  return { estimate: m, low: Math.max(0, m - half), high: m + half };
}

/**
 * Monthly cost now and with the candidate at the observed traffic. Volume is treated as Poisson; the
 * per-request costs as sample means (normal approximation). The saving interval pairs the worst ends of
 * both (fewest requests, smallest per-request difference): conservative, not a joint confidence level.
 */
export function estimateSavings(input: SavingsInput): SavingsEstimate {
  const confidence = input.confidence ?? 0.95;
  const z = probit(1 - (1 - confidence) / 2);
  const perMonth = DAYS_PER_MONTH / Math.max(input.windowDays, 1e-9);
  const volume: Interval = {
    estimate: input.requests * perMonth,
    low: Math.max(0, input.requests - z * Math.sqrt(input.requests)) * perMonth,
    high: (input.requests + z * Math.sqrt(input.requests)) * perMonth,
  };
  const base = meanInterval(input.baselineCostsUsd, z);
  const cand = meanInterval(input.candidateCostsUsd, z);
  // With the candidate serving, shadowed and fallen-back calls still pay the baseline.
  const overhead = (input.shadowShare ?? 0) + (input.fallbackRate ?? 0);
  const effective = (c: number, b: number) => c + overhead * b;
  const now = { estimate: volume.estimate * base.estimate, low: volume.low * base.low, high: volume.high * base.high };
  const withCandidate = {
    estimate: volume.estimate * effective(cand.estimate, base.estimate),
    low: volume.low * effective(cand.low, base.low),
    high: volume.high * effective(cand.high, base.high),
  };
  const perRequestSaving = {
    estimate: base.estimate - effective(cand.estimate, base.estimate),
    low: base.low - effective(cand.high, base.low),
    high: base.high - effective(cand.low, base.high),
  };
  const scale = (x: number, v: Interval) => (x >= 0 ? { low: v.low * x, high: v.high * x } : { low: v.high * x, high: v.low * x });
  const saving: Interval = {
    estimate: volume.estimate * perRequestSaving.estimate,
    low: scale(perRequestSaving.low, volume).low,
    high: scale(perRequestSaving.high, volume).high,
  };
  const perDay = (monthly: number) => monthly / DAYS_PER_MONTH;
  const paybackDays =
    saving.estimate > 0
      ? {
          estimate: input.calibrationSpentUsd / perDay(saving.estimate),
          low: input.calibrationSpentUsd / perDay(saving.high),
          high: saving.low > 0 ? input.calibrationSpentUsd / perDay(saving.low) : null,
        }
      : null;
  const usd = (x: number) => `$${x.toFixed(2)}`;
  const explanation =
    `At ${Math.round(volume.estimate)} calls a month (from ${input.requests} in ${input.windowDays} days), the prompt costs ` +
    `${usd(now.estimate)} a month now and ${usd(withCandidate.estimate)} with the candidate` +
    (overhead > 0 ? ` (including ${(overhead * 100).toFixed(1)}% of calls still paid at the baseline price for shadowing and fallback)` : "") +
    `: a saving of ${usd(saving.estimate)} (${usd(saving.low)} to ${usd(saving.high)}). The calibration has cost ${usd(input.calibrationSpentUsd)}` +
    (paybackDays ? `, earned back in about ${paybackDays.estimate.toFixed(1)} days.` : ", and there is no saving to earn it back.");
  return {
    monthlyRequests: volume,
    monthlyCostNowUsd: now,
    monthlyCostWithCandidateUsd: withCandidate,
    monthlySavingUsd: saving,
    calibrationSpentUsd: input.calibrationSpentUsd,
    paybackDays,
    explanation,
  };
}
