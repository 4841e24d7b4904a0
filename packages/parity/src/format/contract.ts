import { Ajv, type ValidateFunction } from "ajv";
import { quantileSorted } from "simple-statistics";
import { extractJson, type JsonWrapper } from "./extract-json.ts";
import { describeSchema, inferJsonSchema, type JsonSchema } from "./infer-schema.ts";
import { FEATURE_WORDS, TEXT_FEATURES, measureText, type TextFeature } from "./text-structure.ts";

export const FORMAT_CONTRACT_VERSION = 1;

/** Share of baseline samples that must be JSON for the prompt to get a JSON contract. */
export const JSON_MODE_SHARE = 0.8;
/** A structural feature present in at least this share of samples becomes required. */
export const REQUIRED_FEATURE_SHARE = 0.9;
/** Forbidding a feature no sample showed needs enough samples to mean something. */
export const MIN_SAMPLES_TO_FORBID = 5;
/** Length band: [LOW_FACTOR * 5th percentile, HIGH_FACTOR * 95th percentile] of baseline lengths. */
export const LENGTH_LOW_FACTOR = 0.5;
export const LENGTH_HIGH_FACTOR = 1.5;

export interface ContractRule {
  id: string;
  explanation: string;
}

export type FeatureRequirement = "required" | "forbidden" | "free";

/** What a prompt's outputs look like. Plain JSON: stored with the calibration and reloaded as is. */
export type FormatContract =
  | {
      version: typeof FORMAT_CONTRACT_VERSION;
      mode: "json";
      samples: number;
      wrappers: JsonWrapper[];
      schema: JsonSchema;
      rules: ContractRule[];
    }
  | {
      version: typeof FORMAT_CONTRACT_VERSION;
      mode: "text";
      samples: number;
      length: { min: number; max: number };
      features: Record<TextFeature, FeatureRequirement>;
      rules: ContractRule[];
    };

const WRAPPER_WORDS: Record<JsonWrapper, string> = {
  bare: "bare JSON",
  fenced: "JSON inside a ``` code fence",
  preamble: "JSON after a short lead-in sentence",
  trailing: "JSON followed by a remark",
};

export function inferContract(baselineOutputs: readonly string[]): FormatContract {
  if (baselineOutputs.length === 0) throw new Error("inferContract needs at least one baseline output");
  const extractions = baselineOutputs.map(extractJson);
  const parsed = extractions.flatMap((e) => (e.found ? [e] : []));
  if (parsed.length >= JSON_MODE_SHARE * baselineOutputs.length) {
    const wrappers = [...new Set(parsed.map((e) => e.wrapper))].sort();
    const schema = inferJsonSchema(parsed.map((e) => e.value));
    const skipped = baselineOutputs.length - parsed.length;
    const rules: ContractRule[] = [
      {
        id: "json",
        explanation:
          `The output is ${wrappers.map((w) => WRAPPER_WORDS[w]).join(" or ")}, as in ${parsed.length} of ` +
          `${baselineOutputs.length} baseline samples` +
          (skipped > 0 ? ` (${skipped} not complete JSON, left out of the schema).` : "."),
      },
      ...describeSchema(schema).map((explanation, i) => ({ id: `schema-${i + 1}`, explanation })),
      { id: "extra-keys", explanation: "Keys the baseline never produced are allowed; consumers that read known keys are unaffected." },
    ];
    return { version: FORMAT_CONTRACT_VERSION, mode: "json", samples: baselineOutputs.length, wrappers, schema, rules };
  }
  return inferTextContract(baselineOutputs);
}

function inferTextContract(outputs: readonly string[]): FormatContract {
  const measured = outputs.map(measureText);
  const lengths = measured.map((m) => m.chars).sort((a, b) => a - b);
  const length = {
    min: Math.floor(LENGTH_LOW_FACTOR * quantileSorted(lengths, 0.05)),
    max: Math.ceil(LENGTH_HIGH_FACTOR * quantileSorted(lengths, 0.95)),
  };
  const rules: ContractRule[] = [
    {
      id: "length",
      explanation:
        `Length between ${length.min} and ${length.max} characters: half the baseline's 5th percentile ` +
        `(${Number(quantileSorted(lengths, 0.05).toFixed(1))}) to one and a half times its 95th (${Number(quantileSorted(lengths, 0.95).toFixed(1))}).`,
    },
  ];
  const features = {} as Record<TextFeature, FeatureRequirement>;
  for (const feature of TEXT_FEATURES) {
    const present = measured.filter((m) => m[feature] > 0).length;
    const words = FEATURE_WORDS[feature];
    if (present >= REQUIRED_FEATURE_SHARE * outputs.length) {
      features[feature] = "required";
      rules.push({ id: feature, explanation: `Has ${words}, like ${present} of ${outputs.length} baseline samples.` });
    } else if (present === 0 && outputs.length >= MIN_SAMPLES_TO_FORBID) {
      features[feature] = "forbidden";
      rules.push({ id: feature, explanation: `Has no ${words}: none of the ${outputs.length} baseline samples had any.` });
    } else {
      features[feature] = "free";
    }
  }
  return { version: FORMAT_CONTRACT_VERSION, mode: "text", samples: outputs.length, length, features, rules };
}

export interface ContractCheck {
  ok: boolean;
  violations: string[];
}

export type ContractChecker = (output: string) => ContractCheck;

const OK: ContractCheck = Object.freeze({ ok: true, violations: [] }) as ContractCheck;

/** Builds the serving-path check once per contract; each call then costs one JSON.parse and one ajv run. */
export function compileContract(contract: FormatContract): ContractChecker {
  if (contract.version !== FORMAT_CONTRACT_VERSION) {
    throw new Error(`format contract version ${String(contract.version)} is not supported (expected ${FORMAT_CONTRACT_VERSION})`);
  }
  if (contract.mode === "json") {
    const ajv = new Ajv({ allErrors: false, strict: false });
    const validate: ValidateFunction = ajv.compile(contract.schema);
    const wrappers = new Set(contract.wrappers);
    return (output) => {
      const extraction = extractJson(output);
      if (!extraction.found) {
        return { ok: false, violations: [extraction.truncated ? "JSON is cut off before it ends" : "no JSON object or array found"] };
      }
      const violations: string[] = [];
      if (!wrappers.has(extraction.wrapper)) violations.push(`the output is ${WRAPPER_WORDS[extraction.wrapper]}, which the baseline never produced`);
      if (!validate(extraction.value)) {
        const error = validate.errors?.[0];
        violations.push(`${error?.instancePath || "$"} ${error?.message ?? "does not match the schema"}`);
      }
      return violations.length === 0 ? OK : { ok: false, violations };
    };
  }
  const { length, features } = contract;
  return (output) => {
    const measured = measureText(output);
    const violations: string[] = [];
    if (measured.chars < length.min) violations.push(`shorter than ${length.min} characters (${measured.chars})`);
    if (measured.chars > length.max) violations.push(`longer than ${length.max} characters (${measured.chars})`);
    for (const feature of TEXT_FEATURES) {
      const rule = features[feature];
      if (rule === "required" && measured[feature] === 0) violations.push(`has no ${FEATURE_WORDS[feature]}`);
      if (rule === "forbidden" && measured[feature] > 0) violations.push(`has ${FEATURE_WORDS[feature]}, which the baseline never used`);
    }
    return violations.length === 0 ? OK : { ok: false, violations };
  };
}

/** Format agreement score in {0, 1}: the same procedure for the band (baseline replay) and a candidate. */
export function formatAgreement(checker: ContractChecker, output: string): number {
  return checker(output).ok ? 1 : 0;
}
