import type { CategoricalVerdict, SemanticVerdict } from "./parse.ts";

/** A categorical verdict restated in terms of who wrote what, once the position is undone. */
export type CategoricalPreference = "reference" | "candidate" | "both" | "neither";

/** verdictRefFirst: reply to the reference-first request; verdictCandFirst: reply to the candidate-first one. */
export function categoricalPreferences(
  verdictRefFirst: CategoricalVerdict,
  verdictCandFirst: CategoricalVerdict,
): [CategoricalPreference, CategoricalPreference] {
  const undo = (v: CategoricalVerdict, referenceLetter: "A" | "B"): CategoricalPreference => {
    if (v === "both" || v === "neither") return v;
    return v === referenceLetter ? "reference" : "candidate";
  };
  return [undo(verdictRefFirst, "A"), undo(verdictCandFirst, "B")];
}

export interface PairScore {
  /** Agreement in [0, 1] entering the statistics (s_i for the band, t_i for a candidate). */
  score: number;
  /** The judge gave the same answer in both orders once positions are undone. */
  positionConsistent: boolean;
}

/**
 * Unequal labels count as a disagreement only when the judge prefers the reference in both orders: a judge
 * that flips with position, or finds both acceptable, has not shown that the other label is wrong.
 */
export function categoricalScore(verdictRefFirst: CategoricalVerdict, verdictCandFirst: CategoricalVerdict): PairScore {
  const [first, second] = categoricalPreferences(verdictRefFirst, verdictCandFirst);
  const disagreement = first === "reference" && second === "reference";
  return { score: disagreement ? 0 : 1, positionConsistent: first === second };
}

/** Semantic agreement: the mean of the two orders' verdicts (1 = same, 0 = different), so 0, 0.5 or 1. */
export function semanticScore(verdictRefFirst: SemanticVerdict, verdictCandFirst: SemanticVerdict): PairScore {
  const value = (v: SemanticVerdict) => (v === "same" ? 1 : 0);
  return {
    score: (value(verdictRefFirst) + value(verdictCandFirst)) / 2,
    positionConsistent: verdictRefFirst === verdictCandFirst,
  };
}

/** Running count of how often a judge answers the same in both orders; serialisable. */
export interface PositionConsistency {
  judged: number;
  consistent: number;
}

export function createPositionConsistency(): PositionConsistency {
  return { judged: 0, consistent: 0 };
}

/** Takes a score, or a stored judgment's flag alone: the evaluate step tallies from stored judgments. */
export function recordPositionConsistency(tally: PositionConsistency, score: Pick<PairScore, "positionConsistent">): PositionConsistency {
  return { judged: tally.judged + 1, consistent: tally.consistent + (score.positionConsistent ? 1 : 0) };
}
