import type { CalibrationProgress, CalibrationRow } from "@proofgate/db";

/** A calibration as the admin API shows it: status, budget, progress, spend, and the reports once finished. */
export function presentCalibration(row: CalibrationRow, progress?: CalibrationProgress) {
  const report = row.report as { candidates?: Record<string, unknown>; pairs?: number } | null;
  return {
    id: row.id,
    promptId: row.promptId,
    status: row.status,
    stopReason: row.stopReason ?? null,
    baselineModel: row.baselineModel,
    candidates: row.candidates,
    budget: { maxPairs: row.maxPairs, maxCostUsd: row.maxCostUsd, batchSize: row.batchSize },
    alpha: row.alpha,
    margins: row.margins,
    spendUsd: row.spendUsd,
    ...(progress ? { progress } : {}),
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
    reports: row.status === "completed" ? (report?.candidates ?? {}) : null,
  };
}
