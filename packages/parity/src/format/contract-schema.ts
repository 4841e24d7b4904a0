import { z } from "zod";
import { FORMAT_CONTRACT_VERSION, type FormatContract } from "./contract.ts";
import type { JsonSchema } from "./infer-schema.ts";
import { TEXT_FEATURES } from "./text-structure.ts";

function isPlainObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ruleSchema = z.object({ id: z.string(), explanation: z.string() });

/**
 * A stored FormatContract. The JSON Schema body is only checked to be an object: ajv validates it when the
 * contract is compiled, and describing JSON Schema again in zod would be a second, weaker validator.
 */
export const formatContractSchema: z.ZodType<FormatContract> = z.discriminatedUnion("mode", [
  z.object({
    version: z.literal(FORMAT_CONTRACT_VERSION),
    mode: z.literal("json"),
    samples: z.number().int().nonnegative(),
    wrappers: z.array(z.enum(["bare", "fenced", "preamble", "trailing"])),
    schema: z.custom<JsonSchema>(isPlainObject),
    rules: z.array(ruleSchema),
  }),
  z.object({
    version: z.literal(FORMAT_CONTRACT_VERSION),
    mode: z.literal("text"),
    samples: z.number().int().nonnegative(),
    length: z.object({ min: z.number(), max: z.number() }),
    features: z.record(z.enum(TEXT_FEATURES), z.enum(["required", "forbidden", "free"])),
    rules: z.array(ruleSchema),
  }),
]);
