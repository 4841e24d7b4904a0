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
  const single = rows.filter((r) => r.band === "one sample");
  return MMLU_SUBJECT_TASKS.map((task) => {
    const band = runAgreement(dir, task);
    // with this band, a candidate whose semantic agreement reaches band - margin would pass that axis in expectation
    const reach = single.filter((r) => {
      const s = r.axes.semantic;
      return s !== undefined && s !== "n/a" && s.agreement >= band - MARGIN;
    });
    const by = (t: string) => reach.filter((r) => r.truth === t).map((r) => r.slice);
    return { task, band, safe: by("safe"), uncertain: by("uncertain"), unsafe: by("unsafe") };
  });
}

export function borrowedText(bands: ReturnType<typeof borrowedBand>): string {
  const lines = bands.map(
    (b) =>
      `| ${b.task.replace(/_/g, " ")} | ${b.band.toFixed(3)} | ${(b.band - MARGIN).toFixed(3)} | ${b.safe.length} | ${b.uncertain.length} | ${b.unsafe.length}${b.unsafe.length ? ` (${b.unsafe.join(", ")})` : ""} |`,
  );
  const worst = Math.max(...bands.map((b) => b.unsafe.length));
  const safeReach = Math.max(...bands.map((b) => b.safe.length));
  const cost = safeReach > 0 ? `cost savings on up to ${safeReach} safe slice(s) (listed above)` : "cost no safe slice on this run (none reaches any borrowed band)";
  return [
    "The only real band on MMLU-style questions is gpt-4o's run-to-run answer agreement (run 0 against each of runs 1-4, temperature 0) on the four MMLU subjects of llm_stability. " +
      "Had each been borrowed as the band of every single-sample slice, the candidates whose measured semantic agreement reaches band − 0.05 would pass that axis (in expectation; the other axes aside):",
    "| borrowed from | band | agreement needed | safe slices reaching it | uncertain | unsafe |\n|---|---:|---:|---:|---:|---|\n" + lines.join("\n"),
    worst > 0
      ? `So the band of 1 ${cost}, and it kept out up to ${worst} slice(s) that gold labels call unsafe, which a band as low as gpt-4o's on some subjects would have let through. ` +
        "That is the limit of agreement-based parity on a noisy baseline, not an artefact of borrowing: if the baseline itself agreed with itself that little, a candidate several points less accurate could agree with it as often as it agrees with itself. " +
        "The categorical axis guards against this (a disagreement there counts when the judge prefers the baseline's answer, so a candidate that is wrong where the baseline is right loses), but it applies only where a short label can be read from the outputs, which chain-of-thought text rarely gives. " +
        "This bench cannot measure that case on real data: no data set here holds repeated runs of a baseline alongside a cheaper model on the same prompts."
      : `No borrowed band would have let an unsafe slice through; the band of 1 ${cost}.`,
  ].join("\n\n");
}
