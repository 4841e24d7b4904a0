import { FAMILIES } from "./families/index.ts";
import type { BehaviourProfile } from "./behaviour.ts";
import { judgedScores, type JudgedScores } from "./ground-truth-judged.ts";
import { judgeOf, marginsOf, profileOf, type Margins, type Scenario } from "./scenario.ts";

export type AxisTruth = {
  applicable: boolean;
  /** why the axis does not apply, when it does not */
  reason?: string;
  /** expected agreement of the baseline with itself (captured output vs a baseline replay) */
  band: number;
  /** expected agreement of the candidate with the captured baseline output */
  agreement: number;
  /** band - agreement: what the engine estimates as E[d] */
  gap: number;
  margin: number;
  withinMargin: boolean;
};

export type GroundTruth = {
  family: string;
  baseline: string;
  candidate: string;
  format: AxisTruth;
  categorical: AxisTruth;
  semantic: AxisTruth;
  /** raw label equality, before the engine's blind re-judging of unequal labels */
  labelMatch: { band: number; agreement: number } | null;
  /** the candidate is within the margin on every applicable axis */
  withinMargin: boolean;
  /** expected scores under the scenario's judge (noise, position bias) instead of a perfect one */
  judged: JudgedScores;
};

function axis(band: number, agreement: number, margin: number): AxisTruth {
  const gap = band - agreement;
  return { applicable: true, band, agreement, gap, margin, withinMargin: gap < margin };
}

/**
 * Expected scores under a perfect judge, from the profile parameters. With baseline B and candidate C,
 * f = format error rate, e = label error rate, n = self-noise, d = semantic drift rate, K = the family's
 * number of distinct substance alterations:
 *
 *   format       band = 1 - f_B                       agreement = 1 - f_C
 *   categorical  band = 1 - [m_B + (1 - m_B) n_B / 2]    agreement = 1 - [m_C + (1 - m_C)(1 - e_B) e_C]
 *     (labels differ and the judge prefers the reference in both orders only when the reference is right
 *      and the other is wrong; labels are the truth or the input's one confusable label, so two samples of
 *      one model are "reference right, replay wrong" with probability f(1-f) = n/2. m is the share of pairs
 *      where the reference's label is readable and the other's is not, which the engine counts as a
 *      disagreement without a judge: m_X = (1 - f_B) f_X for JSON families, whose format errors are broken
 *      JSON, and 0 for the others, whose format errors keep the label readable)
 *   semantic     band = (1 - n_B) [(1 - d_B)^2 + d_B^2 / K]
 *                agreement = [(1 - e_B)(1 - e_C) + e_B e_C] [(1 - d_B)(1 - d_C) + d_B d_C / K]
 *     (same meaning = same label and same substance; the label factor is 1 for families without labels,
 *      the substance factor is 1 for families without substance beyond the label)
 *
 * A noisy judge (noise η) pulls semantic scores towards 1/2 alike on both sides: score' = η + (1 - 2η) score,
 * so gaps shrink by (1 - 2η); the engine's decision is made on the judged scores.
 */
export function groundTruthFromProfiles(
  kind: keyof typeof FAMILIES,
  b: BehaviourProfile,
  c: BehaviourProfile,
  margins: Margins,
): Pick<GroundTruth, "format" | "categorical" | "semantic" | "labelMatch" | "withinMargin"> {
  const family = FAMILIES[kind];
  const format = axis(1 - b.formatErrorRate, 1 - c.formatErrorRate, margins.format);
  const hasLabels = family.labels !== null;
  const hidden = (fX: number) => (family.formatErrorHidesLabel ? (1 - b.formatErrorRate) * fX : 0);
  const mB = hidden(b.formatErrorRate);
  const mC = hidden(c.formatErrorRate);
  const categorical: AxisTruth = hasLabels
    ? axis(1 - (mB + (1 - mB) * (b.selfNoise / 2)), 1 - (mC + (1 - mC) * (1 - b.labelErrorRate) * c.labelErrorRate), margins.categorical)
    : { applicable: false, reason: `${kind} outputs carry no label`, band: 1, agreement: 1, gap: 0, margin: margins.categorical, withinMargin: true };
  const labelMatch = hasLabels
    ? { band: 1 - b.selfNoise, agreement: (1 - b.labelErrorRate) * (1 - c.labelErrorRate) + b.labelErrorRate * c.labelErrorRate }
    : null;
  const k = family.driftVariants;
  const dB = b.semanticDriftRate;
  const dC = c.semanticDriftRate;
  const subBand = k > 0 ? (1 - dB) ** 2 + (dB * dB) / k : 1;
  const subAgree = k > 0 ? (1 - dB) * (1 - dC) + (dB * dC) / k : 1;
  const semantic = axis((labelMatch?.band ?? 1) * subBand, (labelMatch?.agreement ?? 1) * subAgree, margins.semantic);
  const withinMargin = [format, categorical, semantic].every((a) => !a.applicable || a.withinMargin);
  return { format, categorical, semantic, labelMatch, withinMargin };
}

export function groundTruth(
  scenario: Scenario,
  family: string,
  baseline: string,
  candidate: string,
  margins?: Partial<Margins>,
): GroundTruth {
  const def = scenario.families.find((f) => f.name === family);
  if (!def) throw new Error(`scenario ${scenario.name} has no family ${family}`);
  if (def.kind === "recorded") throw new Error(`family ${family} is recorded: its truth is measured, not modelled`);
  for (const m of [baseline, candidate]) {
    if (!scenario.models.some((x) => x.name === m)) throw new Error(`scenario ${scenario.name} has no model ${m}`);
  }
  const b = profileOf(scenario, baseline, family);
  const c = profileOf(scenario, candidate, family);
  const truth = groundTruthFromProfiles(def.kind, b, c, marginsOf(scenario, margins));
  // the engine judges with the baseline model, so its judge profile applies
  const judged = judgedScores(def.kind, b, c, {
    categoricalApplicable: truth.categorical.applicable,
    semanticBand: truth.semantic.band,
    semanticAgreement: truth.semantic.agreement,
  }, judgeOf(scenario, baseline));
  return { family, baseline, candidate, ...truth, judged };
}
