import { z } from "zod";
import { LABEL_SPEC_VERSION, type LabelComparison, type LabelSpec } from "./label-spec.ts";

const labelFieldSchema = z.object({
  path: z.array(z.string()),
  type: z.enum(["boolean", "enum", "integer"]),
  values: z.array(z.union([z.string(), z.number(), z.boolean()])),
});

/** A stored LabelSpec: which labels a prompt's outputs carry, or why it has none. */
export const labelSpecSchema: z.ZodType<LabelSpec> = z.union([
  z.object({
    version: z.literal(LABEL_SPEC_VERSION),
    applicable: z.literal(true),
    kind: z.literal("json-fields"),
    fields: z.array(labelFieldSchema),
    explanation: z.string(),
  }),
  z.object({
    version: z.literal(LABEL_SPEC_VERSION),
    applicable: z.literal(true),
    kind: z.literal("short-answer"),
    values: z.array(z.string()),
    explanation: z.string(),
  }),
  z.object({ version: z.literal(LABEL_SPEC_VERSION), applicable: z.literal(false), reason: z.string() }),
]);

/** A stored LabelComparison (the categorical evidence of one judged pair). */
export const labelComparisonSchema: z.ZodType<LabelComparison> = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("equal"), label: z.string() }),
  z.object({ outcome: z.literal("unequal"), referenceLabel: z.string().nullable(), otherLabel: z.string().nullable() }),
  z.object({ outcome: z.literal("missing"), referenceLabel: z.string() }),
]);
