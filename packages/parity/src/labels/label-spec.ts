import { extractJson } from "../format/extract-json.ts";

export const LABEL_SPEC_VERSION = 1;

/** A field must be present in this share of JSON samples to be part of the label. */
export const LABEL_FIELD_SHARE = 0.9;
/** At most this many distinct values for a field or a short answer to count as a category. */
export const LABEL_MAX_VALUES = 12;
/** Short answers: at most this many words. */
export const SHORT_ANSWER_MAX_WORDS = 4;
/** Small integers: a range no wider than this (ratings, scores on a 1-10 scale). */
export const SMALL_INTEGER_MAX_RANGE = 10;
/** Fewer samples than this cannot show that a value set is small. */
export const LABEL_MIN_SAMPLES = 5;

export interface LabelField {
  /** Path of object keys from the root, e.g. ["analysis", "sentiment"]. */
  path: string[];
  type: "boolean" | "enum" | "integer";
  /** Values seen on the baseline, normalised (for the report; other values still count as labels). */
  values: (string | number | boolean)[];
}

export type LabelSpec =
  | { version: typeof LABEL_SPEC_VERSION; applicable: true; kind: "json-fields"; fields: LabelField[]; explanation: string }
  | { version: typeof LABEL_SPEC_VERSION; applicable: true; kind: "short-answer"; values: string[]; explanation: string }
  | { version: typeof LABEL_SPEC_VERSION; applicable: false; reason: string };

function normaliseString(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, " ");
}

/** The short answer of a text output: case, surrounding quotes/markup and final punctuation do not matter. */
export function normaliseShortAnswer(output: string): string {
  return normaliseString(output)
    .replace(/^[\s"'`*_]+|[\s"'`*_]+$/g, "")
    .replace(/[.!?;:,]+$/, "")
    .replace(/^(?:answer|label|category|classification)\s*:\s*/, "")
    .trim();
}

function collectLeaves(value: unknown, path: string[], out: Map<string, { path: string[]; values: unknown[] }>): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const key = JSON.stringify(path);
    let entry = out.get(key);
    if (!entry) out.set(key, (entry = { path, values: [] }));
    entry.values.push(value);
    return;
  }
  for (const [k, child] of Object.entries(value as Record<string, unknown>)) collectLeaves(child, [...path, k], out);
}

function classifyField(values: unknown[]): Omit<LabelField, "path"> | undefined {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.every((v) => typeof v === "boolean")) {
    return { type: "boolean", values: [...new Set(present as boolean[])].sort() };
  }
  if (present.every((v) => typeof v === "number" && Number.isInteger(v))) {
    const numbers = present as number[];
    const distinct = [...new Set(numbers)].sort((a, b) => a - b);
    const range = (distinct.at(-1) ?? 0) - (distinct[0] ?? 0);
    if (range <= SMALL_INTEGER_MAX_RANGE && distinct.length <= LABEL_MAX_VALUES) return { type: "integer", values: distinct };
    return undefined;
  }
  if (present.every((v) => typeof v === "string")) {
    const normalised = (present as string[]).map(normaliseString);
    const distinct = [...new Set(normalised)].sort();
    const words = Math.max(...normalised.map((s) => s.split(" ").length));
    // A category repeats: fewer distinct values than half the samples, and short.
    if (distinct.length <= LABEL_MAX_VALUES && distinct.length <= present.length / 2 && words <= SHORT_ANSWER_MAX_WORDS) {
      return { type: "enum", values: distinct };
    }
  }
  return undefined;
}

export function inferLabelSpec(baselineOutputs: readonly string[]): LabelSpec {
  const n = baselineOutputs.length;
  if (n < LABEL_MIN_SAMPLES) {
    return { version: LABEL_SPEC_VERSION, applicable: false, reason: `only ${n} baseline samples; at least ${LABEL_MIN_SAMPLES} are needed to see a label` };
  }
  const parsed = baselineOutputs.map(extractJson).flatMap((e) => (e.found ? [e.value] : []));
  if (parsed.length >= 0.8 * n) {
    const leaves = new Map<string, { path: string[]; values: unknown[] }>();
    for (const value of parsed) collectLeaves(value, [], leaves);
    const fields: LabelField[] = [];
    for (const { path, values } of leaves.values()) {
      if (path.length === 0 || values.length < LABEL_FIELD_SHARE * parsed.length) continue;
      const kind = classifyField(values);
      if (kind) fields.push({ path, ...kind });
    }
    fields.sort((a, b) => a.path.join(".").localeCompare(b.path.join(".")));
    if (fields.length === 0) {
      return {
        version: LABEL_SPEC_VERSION,
        applicable: false,
        reason: "the JSON outputs have no boolean, small-integer or low-cardinality string field present in nearly every sample",
      };
    }
    const names = fields.map((f) => `${f.path.join(".")} (${f.type})`).join(", ");
    return {
      version: LABEL_SPEC_VERSION,
      applicable: true,
      kind: "json-fields",
      fields,
      explanation: `The label is the tuple of ${names}, each present in at least ${LABEL_FIELD_SHARE * 100}% of the baseline samples.`,
    };
  }
  const answers = baselineOutputs.map(normaliseShortAnswer);
  const short = answers.filter((a) => a.length > 0 && a.split(" ").length <= SHORT_ANSWER_MAX_WORDS);
  const distinct = [...new Set(short)].sort();
  if (short.length >= LABEL_FIELD_SHARE * n && distinct.length <= LABEL_MAX_VALUES && distinct.length <= n / 2) {
    return {
      version: LABEL_SPEC_VERSION,
      applicable: true,
      kind: "short-answer",
      values: distinct,
      explanation: `The output is a short answer (at most ${SHORT_ANSWER_MAX_WORDS} words) from a small set: ${distinct.join(", ")}.`,
    };
  }
  const reason =
    short.length < LABEL_FIELD_SHARE * n
      ? `the outputs are free text (${n - short.length} of ${n} samples are longer than ${SHORT_ANSWER_MAX_WORDS} words), with no label to compare`
      : `the short answers take ${distinct.length} distinct values in ${n} samples, too many to be categories`;
  return { version: LABEL_SPEC_VERSION, applicable: false, reason };
}

function getPath(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** The label of one output as a canonical string, or null when the output carries none. */
export function extractLabel(spec: LabelSpec, output: string): string | null {
  if (!spec.applicable) return null;
  if (spec.kind === "short-answer") {
    const answer = normaliseShortAnswer(output);
    return answer.length > 0 && answer.split(" ").length <= SHORT_ANSWER_MAX_WORDS ? answer : null;
  }
  const extraction = extractJson(output);
  if (!extraction.found) return null;
  const parts: string[] = [];
  for (const field of spec.fields) {
    const raw = getPath(extraction.value, field.path);
    // An absent field is a label value of its own: the baseline itself omits some fields now and then.
    const value = raw === undefined ? "(absent)" : typeof raw === "string" ? normaliseString(raw) : raw;
    parts.push(`${field.path.join(".")}=${JSON.stringify(value)}`);
  }
  return parts.join("; ");
}

export type LabelComparison =
  | { outcome: "equal"; label: string }
  /** Needs the blind re-judge: the labels differ, or the reference itself has none. */
  | { outcome: "unequal"; referenceLabel: string | null; otherLabel: string | null }
  /** The reference has a label and the other output has none: a disagreement without a judge. */
  | { outcome: "missing"; referenceLabel: string };

export function compareLabels(spec: LabelSpec, reference: string, other: string): LabelComparison {
  const referenceLabel = extractLabel(spec, reference);
  const otherLabel = extractLabel(spec, other);
  if (referenceLabel !== null && referenceLabel === otherLabel) return { outcome: "equal", label: referenceLabel };
  if (referenceLabel !== null && otherLabel === null) return { outcome: "missing", referenceLabel };
  return { outcome: "unequal", referenceLabel, otherLabel };
}
