import type { FormatContract } from "../format/contract.ts";
import type { ParityReport } from "../report/report.ts";
import type { CalibratedAxis } from "./drift.ts";

export interface ApprovalInput {
  promptId: string;
  model: string;
  /** The prompt's baseline and template fingerprint now. */
  baselineModel: string;
  fingerprint: string;
  /** The newest finished calibration of the prompt that tried the model, if any. */
  calibration: { id: string; report: unknown; setup: unknown } | undefined;
  /** Fingerprints of the captures that calibration sampled. */
  calibrationFingerprints: readonly string[];
}

export type ApprovalCheck =
  | { ok: true; report: ParityReport; contract: FormatContract; calibrated: CalibratedAxis[] }
  | { ok: false; code: string; message: string };

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether a candidate may serve a prompt: only on a passing report that is still current, i.e. made on
 * the prompt's present template (fingerprint), against its present baseline, with the format contract the
 * calibration froze. Each refusal says what is missing and what to do.
 */
export function checkApproval(input: ApprovalInput): ApprovalCheck {
  const { promptId, model } = input;
  const rerun = `Run a calibration first (POST /api/prompts/${promptId}/calibrations or \`pnpm proofgate calibrate ${promptId}\`).`;
  if (model === input.baselineModel) {
    return { ok: false, code: "is_baseline", message: `'${model}' is the baseline of prompt '${promptId}'; revert the route to serve it.` };
  }
  if (!input.calibration) {
    return { ok: false, code: "no_report", message: `No finished calibration of prompt '${promptId}' has tried '${model}', so there is no report to approve it on. ${rerun}` };
  }
  const reports = (input.calibration.report as { candidates?: Record<string, ParityReport> } | null)?.candidates ?? {};
  const report = reports[model];
  if (!report) {
    return { ok: false, code: "no_report", message: `Calibration ${input.calibration.id} of prompt '${promptId}' has no report for '${model}'. ${rerun}` };
  }
  if (report.verdict !== "pass") {
    return {
      ok: false,
      code: "report_not_passing",
      message: `The latest report for '${model}' on prompt '${promptId}' (calibration ${input.calibration.id}) is '${report.verdict}', not a pass: ${report.reason}`,
    };
  }
  if (report.baselineModel !== input.baselineModel) {
    return {
      ok: false,
      code: "report_stale",
      message: `The passing report was made against baseline '${report.baselineModel}', but prompt '${promptId}' is now called with '${input.baselineModel}'. ${rerun}`,
    };
  }
  if (input.calibrationFingerprints.length === 0 || input.calibrationFingerprints.some((f) => f !== input.fingerprint)) {
    return {
      ok: false,
      code: "report_stale",
      message: `The prompt's template has changed since calibration ${input.calibration.id} (fingerprint ${input.fingerprint} now, ${input.calibrationFingerprints.join(", ") || "unknown"} then). ${rerun}`,
    };
  }
  const setupContract = (input.calibration.setup as { contract?: FormatContract } | null)?.contract;
  if (!report.contract || !setupContract || !sameJson(report.contract, setupContract)) {
    return {
      ok: false,
      code: "report_stale",
      message: `The report's format contract does not match the one calibration ${input.calibration.id} scored with. ${rerun}`,
    };
  }
  const calibrated: CalibratedAxis[] = report.axes.flatMap((a) => (a.applicable ? [{ axis: a.axis, bandLow: a.band.low, margin: a.margin }] : []));
  return { ok: true, report, contract: report.contract, calibrated };
}
