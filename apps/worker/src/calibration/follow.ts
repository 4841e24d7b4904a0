import { calibrationProgress, getCalibration, type CalibrationRow, type Db } from "@proofgate/db";
import type { ParityReport } from "@proofgate/parity";

export interface CalibrationUpdate {
  status: CalibrationRow["status"];
  /** Pairs drawn so far against the pairs budget. */
  pairs: number;
  maxPairs: number;
  replays: number;
  judgments: number;
  spendUsd: number;
  maxCostUsd: number;
}

/**
 * Polls a calibration until it ends, reporting where it stands after each poll; for the CLI's progress
 * bar and any other watcher. Resolves with the final row.
 */
export async function followCalibration(
  db: Db,
  id: string,
  options: { intervalMs?: number; onUpdate?: (update: CalibrationUpdate) => void; timeoutMs?: number } = {},
): Promise<CalibrationRow> {
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  for (;;) {
    const row = await getCalibration(db, id);
    if (!row) throw new Error(`unknown calibration ${id}`);
    const progress = await calibrationProgress(db, id);
    options.onUpdate?.({
      status: row.status,
      pairs: progress.sampled,
      maxPairs: row.maxPairs,
      replays: progress.replays,
      judgments: progress.judgments,
      spendUsd: row.spendUsd,
      maxCostUsd: row.maxCostUsd,
    });
    if (row.status !== "running") return row;
    if (Date.now() > deadline) throw new Error(`calibration ${id} still running after ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}

/** One line of progress: a bar over the pairs budget, then the counts and the spend. */
export function progressLine(u: CalibrationUpdate, width = 30): string {
  const share = u.maxPairs > 0 ? Math.min(1, u.pairs / u.maxPairs) : 0;
  const filled = Math.round(share * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${u.pairs}/${u.maxPairs} pairs, ${u.replays} replays, ${u.judgments} judgments, $${u.spendUsd.toFixed(2)} of $${u.maxCostUsd.toFixed(2)}`;
}

const usd = (x: number) => `$${x.toFixed(2)}`;

/** The end of a calibration in a few lines: one per candidate with its verdict, evidence and saving. */
export function calibrationSummary(row: CalibrationRow): string[] {
  if (row.status === "stopped") return [`calibration ${row.id} stopped: ${row.stopReason ?? "no reason recorded"} (spent ${usd(row.spendUsd)})`];
  if (row.status === "running") return [`calibration ${row.id} is still running (spent ${usd(row.spendUsd)} so far)`];
  const reports = (row.report as { candidates?: Record<string, ParityReport> } | null)?.candidates ?? {};
  const lines = [`calibration ${row.id} of prompt ${row.promptId} (baseline ${row.baselineModel}), spent ${usd(row.spendUsd)}`];
  for (const [model, report] of Object.entries(reports)) {
    const saving = report.savings?.monthlySavingUsd;
    const savingText = saving ? `, projected saving ${usd(saving.estimate)}/month (${usd(saving.low)} to ${usd(saving.high)})` : "";
    lines.push(`  ${model}: ${report.verdict.toUpperCase()} after ${report.pairs} pairs${savingText}`);
    lines.push(`    ${report.reason}`);
  }
  return lines;
}
