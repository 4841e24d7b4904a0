import { stabilityGold } from "./gold.ts";
import type { Row } from "./report.ts";
import { MARGIN } from "./report.ts";

// The MMLU-Pro, StructuredRAG and GSM8K recordings hold one sample per model, so a baseline replay returns
// the captured output itself and the band is 1 by construction. How much that costs is estimated here with
// the only real band on MMLU-style questions: gpt-4o's repeated temperature-0 runs on four MMLU subjects.

export const MMLU_SUBJECT_TASKS = ["college_mathematics", "high_school_european_history", "professional_accounting", "public_relations"];

/** Share of (question, later run) pairs where a later run gives the same answer as run 0. */
export function runAgreement(dir: string, task: string): number {
  let n = 0, same = 0;
  for (const item of stabilityGold(dir, task)) {
    for (const a of item.answers.slice(1)) {
      n++;
      if (a === item.answers[0]) same++;
    }
  }
  return same / n;
}

export function borrowedBand(dir: string, rows: readonly Row[]) {
  const bands = MMLU_SUBJECT_TASKS.map((task) => ({ task, band: runAgreement(dir, task) }));
  const lowest = Math.min(...bands.map((b) => b.band));
  // with a band as low as the noisiest of them, agreement down to (band - margin) could pass
  const flips = rows
    .filter((r) => r.band === "one sample")
    .filter((r) => {
      const s = r.axes.semantic;
      return s !== undefined && s !== "n/a" && s.agreement >= lowest - MARGIN;
    })
    .map((r) => r.slice);
  return { bands, lowest, flips };
}

export function borrowedText(b: ReturnType<typeof borrowedBand>): string {
  const list = b.bands.map((x) => `${x.task.replace(/_/g, " ")} ${x.band.toFixed(3)}`).join(", ");
  const flips = b.flips.length
    ? `${b.flips.length} single-sample slice(s) have a measured semantic agreement at or above ${(b.lowest - MARGIN).toFixed(3)} and could pass with such a band: ${b.flips.join(", ")}. They are the price of the assumption.`
    : `No single-sample slice has a measured semantic agreement at or above ${(b.lowest - MARGIN).toFixed(3)}, so on this run the assumption changed no verdict: every slice it failed would have failed against the borrowed band too.`;
  return (
    `gpt-4o's run-to-run answer agreement (run 0 against each of runs 1-4, temperature 0) on the four MMLU subjects of llm_stability: ${list}. ` +
    `Against the lowest of these, a candidate passes when its agreement is at least ${(b.lowest - MARGIN).toFixed(3)} (band minus the 0.05 margin) instead of 0.95. ${flips}`
  );
}
