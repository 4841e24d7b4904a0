import { verdictSchema, type Verdict } from "@proofgate/parity";
import { z } from "zod";
import { defineDocument } from "./stored.ts";

/** The statistics after an evaluated batch: spend so far and each candidate's verdict at that look. */
export interface BatchStats {
  spendUsd: number;
  candidates: Record<string, { verdict: Verdict; reason: string }>;
}

const schema: z.ZodType<BatchStats> = z.object({
  spendUsd: z.number(),
  candidates: z.record(z.string(), z.object({ verdict: verdictSchema, reason: z.string() })),
});

/** calibration_batches.stats (and CalibrationProgress.latestStats). */
export const batchStats = defineDocument({ name: "batch-stats", version: 1, schema });
