import type { ParityReport } from "../../packages/parity/src/index.ts";
import { pairedGap, truthOf, type GapInterval, type Truth } from "./bootstrap.ts";
import type { Outcome } from "./pipeline.ts";
import type { Slice } from "./slices.ts";

export const MARGIN = 0.05;

export type Row = {
  slice: string;
  dataset: string;
  pair: string;
  verdict: string;
  pairs: number;
  axes: Record<string, { band: number; agreement: number; verdict: string } | "n/a">;
  gold: { metric: string; baseline: number; candidate: number; gap: GapInterval };
  truth: Truth;
  outcome: "routed, safe" | "FALSE ROUTE" | "routed, uncertain" | "missed saving" | "kept baseline";
  conservative: boolean;
  band: string;
  missedUsd: number;
  savedUsd: number;
  trafficCostUsd: number;
  reason: string;
};

const mean = (a: readonly number[]) => a.reduce((x, y) => x + y, 0) / a.length;

export function rowOf(slice: Slice, outcome: Outcome | null): Row {
  const gap = pairedGap(slice.gold.base, slice.gold.cand, { seed: 7 });
  const truth = truthOf(gap, MARGIN);
  const report: ParityReport | null = outcome?.report ?? null;
  const verdict = report?.verdict ?? (outcome ? `${outcome.status}` : "not run");
  const axes: Row["axes"] = {};
  for (const a of report?.axes ?? []) {
    axes[a.axis] = a.applicable ? { band: a.band.mean, agreement: a.candidate.mean, verdict: a.verdict } : "n/a";
  }
  const passed = verdict === "pass";
  const outcomeText: Row["outcome"] = passed
    ? truth === "unsafe" ? "FALSE ROUTE" : truth === "safe" ? "routed, safe" : "routed, uncertain"
    : truth === "safe" ? "missed saving" : "kept baseline";
  // conservative by design: as accurate by gold, yet an axis shows it agreeing with the baseline less than the baseline agrees with itself
  const conservative = !passed && truth === "safe" && Object.values(axes).some((a) => a !== "n/a" && a.verdict === "fail");
  const perRequest = outcome?.costPerRequest;
  const saving = perRequest?.baseline != null && perRequest.candidate != null ? perRequest.baseline - perRequest.candidate : 0;
  const traffic = slice.requests.length;
  return {
    slice: slice.id,
    dataset: slice.dataset,
    pair: `${slice.baseline} → ${slice.candidate}`,
    verdict,
    pairs: report?.pairs ?? 0,
    axes,
    gold: { metric: slice.gold.metric, baseline: mean(slice.gold.base), candidate: mean(slice.gold.cand), gap },
    truth,
    outcome: outcomeText,
    conservative,
    band: slice.band,
    missedUsd: !passed && truth === "safe" ? saving * traffic : 0,
    savedUsd: passed ? saving * traffic : 0,
    trafficCostUsd: (perRequest?.baseline ?? 0) * traffic,
    reason: report?.reason ?? outcome?.stopReason ?? "",
  };
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(3);

function axisCell(a: Row["axes"][string] | undefined): string {
  if (a === undefined) return "–";
  if (a === "n/a") return "n/a";
  return `${f2(a.band)} / ${f2(a.agreement)}${a.verdict === "pass" ? " ✓" : a.verdict === "fail" ? " ✗" : ""}`;
}

export function table(rows: readonly Row[]): string {
  const head =
    "| slice | baseline → candidate | verdict | pairs | format band / agr. | categorical band / agr. | semantic band / agr. | gold metric | baseline | candidate | gap [95% CI] | truth | outcome |\n" +
    "|---|---|---|---:|---|---|---|---|---:|---:|---|---|---|";
  const lines = rows.map((r) =>
    [
      r.slice,
      r.pair,
      r.verdict,
      r.pairs,
      axisCell(r.axes.format),
      axisCell(r.axes.categorical),
      axisCell(r.axes.semantic),
      r.gold.metric,
      f2(r.gold.baseline),
      f2(r.gold.candidate),
      `${f3(r.gold.gap.gap)} [${f3(r.gold.gap.low)}, ${f3(r.gold.gap.high)}]`,
      r.truth,
      r.outcome + (r.conservative ? " (conservative)" : ""),
    ].join(" | "),
  );
  return [head, ...lines.map((l) => `| ${l} |`)].join("\n");
}

export function summary(rows: readonly Row[], seconds: number) {
  const count = (p: (r: Row) => boolean) => rows.filter(p).length;
  const safe = rows.filter((r) => r.truth === "safe");
  return {
    slices: rows.length,
    verdicts: { pass: count((r) => r.verdict === "pass"), fail: count((r) => r.verdict === "fail"), inconclusive: count((r) => r.verdict === "inconclusive"), other: count((r) => !["pass", "fail", "inconclusive"].includes(r.verdict)) },
    truth: { safe: safe.length, unsafe: count((r) => r.truth === "unsafe"), uncertain: count((r) => r.truth === "uncertain") },
    falseRoutes: count((r) => r.outcome === "FALSE ROUTE"),
    routedUncertain: count((r) => r.outcome === "routed, uncertain"),
    safeRouted: count((r) => r.outcome === "routed, safe"),
    safeNotRouted: count((r) => r.outcome === "missed saving"),
    conservativeByDesign: rows.filter((r) => r.conservative).map((r) => r.slice),
    safeInconclusive: rows.filter((r) => r.truth === "safe" && r.verdict === "inconclusive").map((r) => r.slice),
    missedSavingsUsd: Number(rows.reduce((a, r) => a + r.missedUsd, 0).toFixed(4)),
    realisedSavingsUsd: Number(rows.reduce((a, r) => a + r.savedUsd, 0).toFixed(4)),
    baselineTrafficCostUsd: Number(rows.reduce((a, r) => a + r.trafficCostUsd, 0).toFixed(4)),
    pairsUsed: rows.reduce((a, r) => a + r.pairs, 0),
    seconds: Math.round(seconds),
  };
}
