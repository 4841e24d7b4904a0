import { formatContractSchema, labelSpecSchema, type FormatContract, type LabelSpec } from "@proofgate/parity";
import { z } from "zod";
import { defineDocument } from "./stored.ts";

/** The rules every pair of a calibration is scored by, inferred once from captured baseline outputs. */
export interface CalibrationSetup {
  contract: FormatContract;
  labelSpec: LabelSpec;
}

const schema: z.ZodType<CalibrationSetup> = z.object({ contract: formatContractSchema, labelSpec: labelSpecSchema });

/** calibrations.setup, and routes.setup (an approval copies its calibration's). */
export const calibrationSetup = defineDocument({ name: "calibration-setup", version: 1, schema });
