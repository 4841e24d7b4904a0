import { writeFileSync } from "node:fs";
import { table, type Row, type summary } from "./report.ts";
import { sanityTable, type sanity } from "./sanity.ts";
import { INTRO, LIMITS, METHOD, READING } from "./doc-text.ts";

type Input = { rows: Row[]; totals: ReturnType<typeof summary>; checks: ReturnType<typeof sanity>; borrowed: string; out: string | null };

const GROUPS: [string, string][] = [
  ["mmlu_pro", "MMLU-Pro, per category (band: one sample per model, see below)"],
  ["llm_stability", "llm_stability, gpt-4o against its own other runs (band: real, from repeated runs)"],
  ["structured_rag", "StructuredRAG, f-string prompts, gpt-4o → llama3 8B (band: one sample per model)"],
  ["routellm_gsm8k", "RouteLLM GSM8K (band: one sample per model)"],
];

/** Renders the results (and writes docs/real.md unless out is null); the JSON summary is the last line. */
export function writeDoc({ rows, totals, checks, borrowed, out }: Input): { tables: string } {
  const tables = GROUPS.filter(([d]) => rows.some((r) => r.dataset === d))
    .map(([d, title]) => `### ${title}\n\n${table(rows.filter((r) => r.dataset === d))}`)
    .join("\n\n");
  const conservative = totals.conservativeByDesign.length ? totals.conservativeByDesign.join(", ") : "none";
  const doc = [
    INTRO,
    "## Results",
    "Produced by `pnpm bench:real` (the JSON summary is the last line of this page and of the command's output). " +
      "Axis cells read `band / agreement` (the means over the pairs used), ✓ / ✗ mark an axis passed / failed. " +
      "The gap is baseline minus candidate on the gold metric, over every recorded item of the slice.",
    tables,
    "## Totals",
    [
      `- slices: ${totals.slices}; verdicts: ${totals.verdicts.pass} pass, ${totals.verdicts.fail} fail, ${totals.verdicts.inconclusive} inconclusive, ${totals.verdicts.other} other`,
      `- gold truth: ${totals.truth.safe} safe, ${totals.truth.unsafe} unsafe, ${totals.truth.uncertain} uncertain`,
      `- **false routes (pass on an unsafe slice): ${totals.falseRoutes}**; passes on uncertain slices: ${totals.routedUncertain}`,
      `- safe slices routed: ${totals.safeRouted} of ${totals.truth.safe}; safe slices kept on the baseline: ${totals.safeNotRouted}`,
      `- missed savings (safe but not routed, over the recorded traffic of those slices): $${totals.missedSavingsUsd.toFixed(2)}; realised (routed): $${totals.realisedSavingsUsd.toFixed(2)}; baseline cost of all recorded traffic: $${totals.baselineTrafficCostUsd.toFixed(2)}`,
      `- conservative by design (safe by gold, failed on agreement): ${conservative}`,
      `- safe but inconclusive (out of captures, no failing axis): ${totals.safeInconclusive.length ? totals.safeInconclusive.join(", ") : "none"}`,
      `- pairs used: ${totals.pairsUsed}; wall time ${totals.seconds} s`,
    ].join("\n"),
    READING,
    METHOD,
    `**What the assumption cost on this run.** ${borrowed}`,
    LIMITS,
    "## Sanity check: the data sets' published figures",
    sanityTable(checks.checks.filter((c) => !c.what.startsWith("StructuredRAG"))),
    "StructuredRAG format success per task (the result files' own `success_rate`, against the failure lists the bench reads):",
    sanityTable(checks.checks.filter((c) => c.what.startsWith("StructuredRAG"))),
    "MMLU-Pro accuracy per category (`pred` against `answer`, every recorded question of each model):",
    checks.categories,
    JSON.stringify(totals),
  ].join("\n\n");
  if (out) writeFileSync(out, `${doc}\n`);
  return { tables };
}
