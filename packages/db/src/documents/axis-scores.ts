import { AXES, type AxisName } from "@proofgate/parity";
import { z } from "zod";
import { defineDocument } from "./stored.ts";

/** Agreement of the captured output with one replay, per axis, in [0, 1]; null when the axis does not apply. */
export type AxisScores = Record<AxisName, number | null>;

const schema: z.ZodType<AxisScores> = z.record(z.enum(AXES), z.number().min(0).max(1).nullable());

/**
 * judgments.scores and shadow_samples.scores. SQL reads single axes (`scores->>'format'`), which the
 * version key leaves alone.
 */
export const axisScores = defineDocument({ name: "axis-scores", version: 1, schema });
