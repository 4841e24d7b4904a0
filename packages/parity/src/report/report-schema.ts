import { z } from "zod";
import { AXES } from "../axes.ts";
import { formatContractSchema } from "../format/contract-schema.ts";
import { JUDGE_KINDS } from "../judging/protocol.ts";
import { labelSpecSchema } from "../labels/label-spec-schema.ts";
import type { Verdict } from "../stats/decide.ts";
import { PARITY_REPORT_VERSION, type AxisReport, type DisagreementExample, type ParityReport } from "./report.ts";
import type { SavingsEstimate } from "./savings.ts";

export const verdictSchema: z.ZodType<Verdict> = z.enum(["pass", "fail", "continue", "inconclusive"]);

const intervalSchema = z.object({ estimate: z.number(), low: z.number(), high: z.number() });

export const savingsEstimateSchema: z.ZodType<SavingsEstimate> = z.object({
  monthlyRequests: intervalSchema,
  monthlyCostNowUsd: intervalSchema,
  monthlyCostWithCandidateUsd: intervalSchema,
  monthlySavingUsd: intervalSchema,
  calibrationSpentUsd: z.number(),
  paybackDays: z.object({ estimate: z.number(), low: z.number(), high: z.number().nullable() }).nullable(),
  explanation: z.string(),
});

const meanWithIntervalSchema = z.object({ mean: z.number(), low: z.number(), high: z.number(), n: z.number().int().nonnegative() });

export const axisReportSchema: z.ZodType<AxisReport> = z.object({
  axis: z.enum(AXES),
  applicable: z.literal(true),
  band: meanWithIntervalSchema,
  candidate: meanWithIntervalSchema,
  difference: z.object({ mean: z.number(), upperBound: z.number(), lowerBound: z.number() }),
  margin: z.number(),
  verdict: verdictSchema,
  reason: z.string(),
});

export const disagreementExampleSchema: z.ZodType<DisagreementExample> = z.object({
  axis: z.enum(AXES),
  captureId: z.string(),
  task: z.string(),
  reference: z.string(),
  candidate: z.string(),
  score: z.number(),
  note: z.string(),
});

const notApplicableAxisSchema = z.object({ axis: z.enum(AXES), applicable: z.literal(false), reason: z.string() });

/** A stored ParityReport; one of another PARITY_REPORT_VERSION does not parse. */
export const parityReportSchema: z.ZodType<ParityReport> = z.object({
  version: z.literal(PARITY_REPORT_VERSION),
  prompt: z.string(),
  baselineModel: z.string(),
  candidateModel: z.string(),
  verdict: verdictSchema,
  reason: z.string(),
  alpha: z.number(),
  alphaPerCandidate: z.number(),
  pairs: z.number().int().nonnegative(),
  axes: z.array(z.union([axisReportSchema, notApplicableAxisSchema])),
  examples: z.array(disagreementExampleSchema),
  judgeConsistency: z.array(
    z.object({
      kind: z.enum(JUDGE_KINDS),
      judged: z.number().int().nonnegative(),
      consistent: z.number().int().nonnegative(),
      rate: z.number(),
      low: z.number(),
      high: z.number(),
    }),
  ),
  savings: savingsEstimateSchema.nullable(),
  contract: formatContractSchema.nullable(),
  labelSpec: labelSpecSchema.nullable(),
});
