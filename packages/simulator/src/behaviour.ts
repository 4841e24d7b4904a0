import type { Family, InputTruth, Plan } from "./families/types.ts";
import { uniform } from "./rng.ts";

/** How one model behaves on one prompt family. All rates are probabilities per sample. */
export type BehaviourProfile = {
  /** share of outputs that break the format the instruction asked for (meaning stays readable) */
  formatErrorRate: number;
  /** share of outputs whose label differs from the hidden truth */
  labelErrorRate: number;
  /** probability that two samples of this model on the same input carry different labels */
  selfNoise: number;
  /** share of outputs whose substance departs from the input (a fact altered, a feature invented) */
  semanticDriftRate: number;
};

export const DEFAULT_PROFILE: BehaviourProfile = {
  formatErrorRate: 0,
  labelErrorRate: 0,
  selfNoise: 0,
  semanticDriftRate: 0,
};

/**
 * The label model. Per input, a model has a usual answer (its mode), wrong with probability q; each sample
 * flips to the other of {truth, confusable} with probability f. Then two samples disagree with probability
 * 2f(1-f) = selfNoise, and a sample is wrong with probability q(1-f) + (1-q)f = labelErrorRate. Solving:
 *   f = (1 - sqrt(1 - 2 selfNoise)) / 2,   q = (labelErrorRate - f) / (1 - 2f).
 * Two disagreeing samples cannot both be right, so selfNoise <= 2 labelErrorRate (1 - labelErrorRate) is
 * required; the scenario validator enforces it.
 */
export function labelModel(p: Pick<BehaviourProfile, "labelErrorRate" | "selfNoise">): { flip: number; modeWrong: number } {
  const flip = (1 - Math.sqrt(Math.max(0, 1 - 2 * p.selfNoise))) / 2;
  const modeWrong = flip >= 0.5 ? 0 : Math.max(0, (p.labelErrorRate - flip) / (1 - 2 * flip));
  return { flip, modeWrong };
}

export function profileProblem(p: BehaviourProfile): string | null {
  if (p.selfNoise > 0.5) return "selfNoise must be at most 0.5";
  const limit = 2 * p.labelErrorRate * (1 - p.labelErrorRate);
  if (p.selfNoise > limit + 1e-9) {
    return `selfNoise ${p.selfNoise} is impossible with labelErrorRate ${p.labelErrorRate}: two disagreeing samples cannot both be right, so selfNoise must be at most 2·e·(1−e) = ${limit.toFixed(4)}`;
  }
  return null;
}

export type SampleContext = {
  seed: number | string;
  model: string;
  family: string;
  /** identifies the input (a hash of the prompt) */
  inputKey: string;
  /** identifies the sample: "seq:<n>" for live traffic, "replay:<n>" for replays */
  sampleKey: string;
};

/** Draws how one sample departs from a perfect answer. Pure: the same context gives the same plan. */
export function planSample(
  family: Family<InputTruth>,
  input: InputTruth,
  profile: BehaviourProfile,
  ctx: SampleContext,
  strictJson: boolean,
): Plan {
  const { seed, model, family: fam, inputKey, sampleKey } = ctx;
  let label: string | null = null;
  if (family.labels && input.truth !== null) {
    const { flip, modeWrong } = labelModel(profile);
    const wrongMode = uniform(seed, model, fam, inputKey, "mode") < modeWrong;
    const flipped = uniform(seed, model, fam, inputKey, sampleKey, "flip") < flip;
    label = wrongMode !== flipped ? input.confusable : input.truth;
  }
  let drift: number | null = null;
  if (family.driftVariants > 0 && uniform(seed, model, fam, inputKey, sampleKey, "drift") < profile.semanticDriftRate) {
    drift = Math.floor(uniform(seed, model, fam, inputKey, sampleKey, "drift-variant") * family.driftVariants);
  }
  const formatError = uniform(seed, model, fam, inputKey, sampleKey, "format") < profile.formatErrorRate;
  return { label, drift, formatError, strictJson };
}
