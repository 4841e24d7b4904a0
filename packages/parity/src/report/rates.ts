/**
 * The one rule for turning a prompt's observed traffic into rates: per day over the observed span, and
 * per month as DAYS_PER_MONTH of those days. The span is never less than MIN_SPAN_DAYS, so a prompt seen
 * for five minutes is extrapolated as a day's traffic, not multiplied up by 288. The prompts query in
 * packages/db has the same rule in SQL, built from these constants.
 */
export const DAYS_PER_MONTH = 30;
export const MIN_SPAN_DAYS = 1;
export const MS_PER_DAY = 86_400_000;

/** Days between the first and last sighting, at least MIN_SPAN_DAYS. */
export function observedSpanDays(firstSeenAt: Date, lastSeenAt: Date): number {
  return Math.max((lastSeenAt.getTime() - firstSeenAt.getTime()) / MS_PER_DAY, MIN_SPAN_DAYS);
}

export interface ObservedRates {
  spanDays: number;
  /** Captures per day over the span. */
  perDay: number;
  /** Spend per DAYS_PER_MONTH days at the observed rate. */
  monthlyCostUsd: number;
}

export function observedRates(p: { captureCount: number; costUsd: number; firstSeenAt: Date; lastSeenAt: Date }): ObservedRates {
  const spanDays = observedSpanDays(p.firstSeenAt, p.lastSeenAt);
  return { spanDays, perDay: p.captureCount / spanDays, monthlyCostUsd: (p.costUsd / spanDays) * DAYS_PER_MONTH };
}
