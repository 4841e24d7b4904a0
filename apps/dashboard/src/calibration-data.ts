import type { CalibrationRow } from "@proofgate/db";
import { PARITY_REPORT_VERSION, type ParityReport, type Verdict } from "@proofgate/parity";

/** What a finished calibration stores: a parity report per candidate, the pairs drawn and the spend. */
export interface StoredCalibrationReport {
  spendUsd: number;
  pairs: number;
  candidates: Record<string, ParityReport>;
}

/**
 * The stored report of a calibration, or null when it has none yet. Reports of another version are left
 * out rather than misread: the page then says the report cannot be shown.
 */
export function storedReport(row: Pick<CalibrationRow, "report">): StoredCalibrationReport | null {
  const raw = row.report as Partial<StoredCalibrationReport> | null;
  if (!raw || typeof raw !== "object" || typeof raw.candidates !== "object" || raw.candidates === null) return null;
  const candidates: Record<string, ParityReport> = {};
  for (const [model, report] of Object.entries(raw.candidates)) {
    if (report && (report as ParityReport).version === PARITY_REPORT_VERSION) candidates[model] = report as ParityReport;
  }
  return { spendUsd: Number(raw.spendUsd ?? 0), pairs: Number(raw.pairs ?? 0), candidates };
}

export interface BestCandidate {
  model: string;
  verdict: Verdict;
  /** Projected monthly saving (estimate), for a passing candidate with a savings estimate. */
  monthlySavingUsd: number | null;
}

const rank: Record<Verdict, number> = { pass: 0, continue: 1, inconclusive: 2, fail: 3 };

/**
 * The candidate to show for a prompt: a passing one with the largest projected saving; failing that, the
 * one closest to a verdict of pass (undecided before failed).
 */
export function bestCandidate(report: StoredCalibrationReport | null): BestCandidate | null {
  if (!report) return null;
  const ranked = Object.values(report.candidates)
    .map((r) => ({
      model: r.candidateModel,
      verdict: r.verdict,
      monthlySavingUsd: r.verdict === "pass" && r.savings ? r.savings.monthlySavingUsd.estimate : null,
    }))
    .sort((a, b) => rank[a.verdict] - rank[b.verdict] || (b.monthlySavingUsd ?? 0) - (a.monthlySavingUsd ?? 0) || a.model.localeCompare(b.model));
  return ranked[0] ?? null;
}

export interface LiveCandidate {
  verdict: Verdict;
  reason: string;
}

/** Per-candidate verdicts so far, from the statistics the latest evaluated batch stored. */
export function liveVerdicts(stats: unknown): Record<string, LiveCandidate> {
  const candidates = (stats as { candidates?: unknown } | null)?.candidates;
  if (!candidates || typeof candidates !== "object") return {};
  const out: Record<string, LiveCandidate> = {};
  for (const [model, value] of Object.entries(candidates as Record<string, unknown>)) {
    const v = value as Partial<LiveCandidate> | null;
    if (v && typeof v.verdict === "string" && typeof v.reason === "string") out[model] = { verdict: v.verdict, reason: v.reason };
  }
  return out;
}
