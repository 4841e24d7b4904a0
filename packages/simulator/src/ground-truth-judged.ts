import type { BehaviourProfile } from "./behaviour.ts";
import { FAMILIES } from "./families/index.ts";
import type { JudgeProfile } from "./scenario.ts";

export type JudgedScores = {
  /** the judging model's flaws these scores assume (the baseline's judge profile) */
  judge: JudgeProfile;
  categorical: { band: number; agreement: number } | null;
  semantic: { band: number; agreement: number };
};

/**
 * Expected scores under the scenario's flawed judge rather than a perfect one (see groundTruth for the
 * perfect-judge formulas and the notation). Each judge call is independent: with probability β (position
 * bias) the verdict is "A", else with probability η (noise) one of the other verdicts, uniformly.
 *
 * semantic: each order is right with probability 1 - η, so score = η + (1 - 2η) S.
 * categorical: a judged pair disagrees when both orders prefer the reference:
 *   reference right, other wrong:  p_hi = [β + (1-β)(1-η)] · (1-β)(1-η)
 *   any other judged pair:         p_lo = [β + (1-β)η/3] · (1-β)η/3
 *   disagreement = m + P(RW, judged) p_hi + P(not RW, judged) p_lo
 * where RW = "reference right, other wrong" and a pair is judged when its labels differ or the reference's
 * label is unreadable (and it is not already a disagreement m, see groundTruth).
 */
export function judgedScores(
  kind: keyof typeof FAMILIES,
  b: BehaviourProfile,
  c: BehaviourProfile,
  perfect: { categoricalApplicable: boolean; semanticBand: number; semanticAgreement: number },
  judge: JudgeProfile,
): JudgedScores {
  const family = FAMILIES[kind];
  const { noise: eta, positionBias: beta } = judge;
  const semantic = {
    band: eta + (1 - 2 * eta) * perfect.semanticBand,
    agreement: eta + (1 - 2 * eta) * perfect.semanticAgreement,
  };
  if (!perfect.categoricalApplicable) return { judge, categorical: null, semantic };
  const pHi = (beta + (1 - beta) * (1 - eta)) * ((1 - beta) * (1 - eta));
  const pLo = (beta + ((1 - beta) * eta) / 3) * (((1 - beta) * eta) / 3);
  const fB = b.formatErrorRate;
  const score = (fX: number, rw: number, unequal: number) => {
    if (!family.formatErrorHidesLabel) return 1 - (rw * pHi + (unequal - rw) * pLo);
    const miss = (1 - fB) * fX;
    const rwJudged = rw * (1 - miss);
    const otherJudged = (1 - fB) * (1 - fX) * (unequal - rw) + fB * (1 - rw);
    return 1 - (miss + rwJudged * pHi + otherJudged * pLo);
  };
  const eB = b.labelErrorRate;
  const eC = c.labelErrorRate;
  const categorical = {
    band: score(fB, b.selfNoise / 2, b.selfNoise),
    agreement: score(c.formatErrorRate, (1 - eB) * eC, 1 - ((1 - eB) * (1 - eC) + eB * eC)),
  };
  return { judge, categorical, semantic };
}
