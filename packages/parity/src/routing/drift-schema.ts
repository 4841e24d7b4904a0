import { z } from "zod";
import { AXES } from "../axes.ts";
import type { CalibratedAxis, DriftAxisState } from "./drift.ts";

/** A stored CalibratedAxis: what the drift watch of an approved route compares against. */
export const calibratedAxisSchema: z.ZodType<CalibratedAxis> = z.object({
  axis: z.enum(AXES),
  bandLow: z.number(),
  margin: z.number(),
});

/** A stored DriftAxisState (the evidence of a drift alarm, kept with its revert). */
export const driftAxisStateSchema: z.ZodType<DriftAxisState> = z.object({
  axis: z.enum(AXES),
  threshold: z.number(),
  n: z.number().int().nonnegative(),
  mean: z.number(),
  logWealth: z.number(),
  alarm: z.boolean(),
});
