import { parityReportSchema, type ParityReport } from "@proofgate/parity";
import { z } from "zod";
import { defineDocument } from "./stored.ts";

/** What a finished calibration stores: a parity report per candidate, the pairs drawn and the spend. */
export interface CalibrationReport {
  spendUsd: number;
  pairs: number;
  candidates: Record<string, ParityReport>;
  /** Candidates whose report could not be read (another PARITY_REPORT_VERSION): left out, not misread. */
  unreadable: string[];
}

export type CalibrationReportInput = Omit<CalibrationReport, "unreadable">;

/** Each candidate's report is parsed on its own, so one unreadable report does not hide the others. */
const schema = z
  .object({ spendUsd: z.number(), pairs: z.number().int().nonnegative(), candidates: z.record(z.string(), z.unknown()) })
  .transform((raw): CalibrationReport => {
    const candidates: Record<string, ParityReport> = {};
    const unreadable: string[] = [];
    for (const [model, report] of Object.entries(raw.candidates)) {
      const parsed = parityReportSchema.safeParse(report);
      if (parsed.success) candidates[model] = parsed.data;
      else unreadable.push(model);
    }
    return { spendUsd: raw.spendUsd, pairs: raw.pairs, candidates, unreadable };
  });

/** calibrations.report. */
export const calibrationReport = defineDocument<"calibration-report", CalibrationReport, CalibrationReportInput>({
  name: "calibration-report",
  version: 1,
  schema,
});
