import type { Rng } from "../rng.ts";

export const FAMILY_KINDS = ["classification", "extraction", "qualification", "summarisation", "description"] as const;
export type FamilyKind = (typeof FAMILY_KINDS)[number];

/**
 * What an output means, decoded from its text alone. `label` is the categorical answer (null where the
 * family has none); `content` is a canonical string of the rest of its substance. Two outputs carry the
 * same substance exactly when both fields are equal.
 */
export type Meaning = { label: string | null; content: string };

/** The hidden parts of one input that a perfect reader recovers from the prompt text. */
export type InputTruth = {
  /** the right label (null where the family has no categorical answer) */
  truth: string | null;
  /** the one plausible wrong label for this input: every wrong answer a model gives is this one */
  confusable: string | null;
};

/** How one sample departs from a perfect answer; drawn by the behaviour model, rendered by the family. */
export type Plan = {
  label: string | null;
  /** index of the substance alteration, in [0, driftVariants), or null for a faithful answer */
  drift: number | null;
  formatError: boolean;
  /** whether the wire promised a JSON schema (no code fences then, as real providers do) */
  strictJson: boolean;
};

export type Family<I extends InputTruth = InputTruth> = {
  kind: FamilyKind;
  /** the system instruction of the template; a request is recognised by it */
  system: string;
  /** categorical labels, or null when the categorical axis does not apply */
  labels: readonly string[] | null;
  /**
   * Whether a format error hides the label from a strict reader (broken JSON): the engine then cannot
   * read the label at all and counts that as a categorical disagreement.
   */
  formatErrorHidesLabel: boolean;
  /** number of distinct substance alterations per input (K in the ground-truth formula) */
  driftVariants: number;
  responseFormat: "text" | "json_object" | "json_schema";
  /** JSON Schema of a valid output for JSON families (sent as response_format by the traffic generator) */
  schema: Record<string, unknown> | null;
  generate(rng: Rng): I;
  renderInput(input: I): string;
  parseInput(text: string): I | null;
  render(input: I, plan: Plan, rng: Rng): string;
  decode(text: string): Meaning | null;
  /** the family's own format contract: what the instruction asked for */
  checkFormat(text: string): boolean;
};
