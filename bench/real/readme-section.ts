import { readFileSync, writeFileSync } from "node:fs";
import type { Row, summary } from "./report.ts";

const START = "<!-- bench:real:start -->";
const END = "<!-- bench:real:end -->";

const signed = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);

/** The README's copy of the results: one line per slice, the totals, and the JSON summary last. */
export function readmeSection(rows: readonly Row[], totals: ReturnType<typeof summary>): string {
  const head = "| slice | baseline → candidate | verdict | pairs | gold gap [95% CI] | truth | outcome |\n|---|---|---|---:|---|---|---|";
  const lines = rows.map(
    (r) =>
      `| ${r.slice} | ${r.pair} | ${r.verdict} | ${r.pairs} | ${signed(r.gold.gap.gap)} [${signed(r.gold.gap.low)}, ${signed(r.gold.gap.high)}] | ${r.truth} | ${r.outcome} |`,
  );
  const totalsLine =
    `${totals.slices} slices: ${totals.verdicts.pass} pass, ${totals.verdicts.fail} fail, ${totals.verdicts.inconclusive} inconclusive. ` +
    `Gold labels: ${totals.truth.safe} safe, ${totals.truth.unsafe} unsafe, ${totals.truth.uncertain} uncertain. ` +
    `**False routes: ${totals.falseRoutes}.** Safe slices routed: ${totals.safeRouted} of ${totals.truth.safe}. ` +
    `Pairs used: ${totals.pairsUsed}; wall time ${totals.seconds} s.`;
  return [START, totalsLine, "", head, ...lines, "", "```json", JSON.stringify(totals), "```", END].join("\n");
}

/** Replaces the marked section of the README in place; a README without the markers is left alone. */
export function updateReadme(path: string, section: string): boolean {
  const text = readFileSync(path, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return false;
  writeFileSync(path, text.slice(0, start) + section + text.slice(end + END.length));
  return true;
}
