/** The calibration as GET /api/calibrations/:id presents it (the fields the CLI and the demo print). */
export interface PresentedCalibration {
  id: string;
  promptId: string;
  status: "running" | "completed" | "stopped";
  stopReason: string | null;
  baselineModel: string;
  candidates: string[];
  budget: { maxPairs: number; maxCostUsd: number };
  spendUsd: number;
  progress?: { sampled: number; replays: number; judgments: number };
  reports: Record<string, CandidateReport> | null;
}

interface Interval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

interface CandidateReport {
  verdict: string;
  reason: string;
  pairs: number;
  axes: ({ axis: string; applicable: true; band: Interval; candidate: Interval; margin: number; verdict: string } | { axis: string; applicable: false; reason: string })[];
  savings: { monthlySavingUsd: { estimate: number; low: number; high: number }; paybackDays: { estimate: number } | null } | null;
}

const AXES = ["format", "categorical", "semantic"] as const;
const usd = (x: number) => `$${x.toFixed(2)}`;

function evidence(report: CandidateReport, axis: string): string {
  const a = report.axes.find((x) => x.axis === axis);
  if (!a) return "-";
  if (!a.applicable) return "n/a";
  return `${a.band.mean.toFixed(3)} vs ${a.candidate.mean.toFixed(3)}`;
}

function saving(report: CandidateReport): string {
  const s = report.savings?.monthlySavingUsd;
  if (!s) return "-";
  // Only a pass can be switched; for the others the figure is what was at stake, in parentheses.
  return report.verdict === "pass" ? `${usd(s.estimate)}/mo` : `(${usd(s.estimate)}/mo)`;
}

/** Pads columns to their widest cell; the first row is the header. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

/**
 * Verdict, evidence and projected saving per candidate: one row each. The evidence is, per axis, how
 * well the baseline agrees with itself (band) against how well the candidate agrees with the baseline.
 */
export function reportRows(
  calibrations: readonly { label: string; calibration: PresentedCalibration }[],
  extra?: { header: string; cell(label: string, model: string): string },
): string[] {
  const rows: string[][] = [["prompt", "candidate", "verdict", "pairs", ...AXES.map((a) => `${a} band vs cand.`), "saving", "calibration spend", ...(extra ? [extra.header] : [])]];
  for (const { label, calibration } of calibrations) {
    if (calibration.status !== "completed" || !calibration.reports) {
      for (const model of calibration.candidates) {
        rows.push([label, model, calibration.status, String(calibration.progress?.sampled ?? "-"), "-", "-", "-", "-", usd(calibration.spendUsd), ...(extra ? [extra.cell(label, model)] : [])]);
      }
      continue;
    }
    for (const [model, report] of Object.entries(calibration.reports)) {
      const cells = [label, model, report.verdict.toUpperCase(), String(report.pairs), ...AXES.map((a) => evidence(report, a)), saving(report), usd(calibration.spendUsd)];
      rows.push([...cells, ...(extra ? [extra.cell(label, model)] : [])]);
    }
  }
  return table(rows);
}

/** The lines `proofgate report` and the end of `proofgate calibrate` print for one calibration. */
export function reportLines(c: PresentedCalibration): string[] {
  const head = `calibration ${c.id} of prompt ${c.promptId} (baseline ${c.baselineModel}): ${c.status}, spent ${usd(c.spendUsd)}`;
  if (c.status === "stopped") return [head, `  stopped: ${c.stopReason ?? "no reason recorded"}`];
  if (c.status === "running") return [head, `  still running: ${c.progress?.sampled ?? 0} of ${c.budget.maxPairs} pairs drawn`];
  const lines = [head, ...reportRows([{ label: c.promptId, calibration: c }]).map((l) => `  ${l}`)];
  for (const [model, report] of Object.entries(c.reports ?? {})) {
    lines.push(`  ${model}: ${report.reason}`);
    const s = report.savings?.monthlySavingUsd;
    if (s && report.verdict === "pass") lines.push(`    projected saving ${usd(s.estimate)}/month (${usd(s.low)} to ${usd(s.high)})${report.savings?.paybackDays ? `, calibration paid back in ${report.savings.paybackDays.estimate.toFixed(1)} days` : ""}`);
  }
  return lines;
}
