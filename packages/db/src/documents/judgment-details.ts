import { JUDGE_VERDICTS, labelComparisonSchema, type CategoricalVerdict, type LabelComparison, type SemanticVerdict } from "@proofgate/parity";
import { z } from "zod";
import { defineDocument } from "./stored.ts";

/**
 * The evidence behind a judgment's scores, for the report: contract violations, the label comparison and
 * the judge's verdicts in both orders. `positionConsistent` is optional: the consistency tally skips an
 * entry without it.
 */
export interface JudgmentDetails {
  format?: { violations: string[] };
  categorical?: LabelComparison;
  categoricalJudge?: { verdicts: [CategoricalVerdict, CategoricalVerdict]; positionConsistent?: boolean };
  semanticJudge?: { verdicts: [SemanticVerdict, SemanticVerdict]; positionConsistent?: boolean };
}

const categorical = z.enum(JUDGE_VERDICTS.categorical);
const semantic = z.enum(JUDGE_VERDICTS.semantic);

const schema: z.ZodType<JudgmentDetails> = z.object({
  format: z.object({ violations: z.array(z.string()) }).optional(),
  categorical: labelComparisonSchema.optional(),
  categoricalJudge: z.object({ verdicts: z.tuple([categorical, categorical]), positionConsistent: z.boolean().optional() }).optional(),
  semanticJudge: z.object({ verdicts: z.tuple([semantic, semantic]), positionConsistent: z.boolean().optional() }).optional(),
});

/** judgments.details (and Disagreement.details). */
export const judgmentDetails = defineDocument({ name: "judgment-details", version: 1, schema });
