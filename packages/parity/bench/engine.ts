/**
 * pnpm bench:engine: how many pairs the parity engine needs before a verdict, against Wald's SPRT on the
 * same paired differences with everything but the verdict known (the floor no valid test beats), plus its
 * error rates and the cost of a format check on the serving path.
 *   node packages/parity/bench/engine.ts [--runs 1000]
 */
import { mean, quantile } from "simple-statistics";
import { compileContract, inferContract, wilsonInterval } from "../src/index.ts";
import { simulateEngine, simulateSprt, sprtExpectedPairs } from "./simulate.ts";

const args = process.argv.slice(2);
const runsArg = args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 1000;
const BANDS = [0.8, 0.9, 0.95, 0.99];
const MARGIN = 0.05;
const ALPHA = 0.05;
const BETA = 0.05;
/** Long enough that an equal candidate virtually always settles: pairs-to-verdict is not cut by a budget. */
const UNBOUNDED = 50_000;
/** Calibrations at the margin end inconclusive if nothing happens by then; 2.5x the default budget. */
const AT_MARGIN_CAP = 1000;
const DEFAULT_BUDGET = 400;

const fmt = (x: number, digits = 0) => x.toFixed(digits);
const summary: Record<string, unknown> = {};
const rows: string[][] = [];
const futilityRows: string[][] = [];
const mixtureRows: string[][] = [];

for (const [index, band] of BANDS.entries()) {
  const seed = 1000 + index;
  const common = { band, margin: MARGIN, alpha: ALPHA, beta: BETA, batch: 1, runs: RUNS };
  const equal = simulateEngine({ ...common, candidate: band, maxPairs: UNBOUNDED, seed });
  const atMargin = simulateEngine({ ...common, candidate: band - MARGIN, maxPairs: AT_MARGIN_CAP, seed: seed + 100 });
  const futility = simulateEngine({ ...common, candidate: band, failMargin: 0, maxPairs: UNBOUNDED, seed: seed + 200 });
  const plain = simulateEngine({ ...common, candidate: band, plugInWeight: 0, maxPairs: UNBOUNDED, seed: seed + 400 });
  const sprt = simulateSprt({ band, margin: MARGIN, alpha: ALPHA, beta: BETA, runs: 20 * RUNS, seed: seed + 300 });

  const pairs = equal.map((o) => o.pairs);
  const futilityPairs = futility.map((o) => o.pairs);
  const sprtMean = mean(sprt.pairs);
  const power = equal.filter((o) => o.verdict === "pass").length / RUNS;
  const powerInBudget = equal.filter((o) => o.verdict === "pass" && o.pairs <= DEFAULT_BUDGET).length / RUNS;
  const falsePasses = atMargin.filter((o) => o.verdict === "pass").length;
  const falsePass = wilsonInterval(falsePasses, RUNS);
  const ratio = mean(pairs) / sprtMean;
  const futilityRatio = mean(futilityPairs) / sprtMean;
  rows.push([
    String(band),
    fmt(mean(pairs)),
    fmt(quantile(pairs, 0.5)),
    fmt(quantile(pairs, 0.9)),
    `${fmt(sprtMean)} (${fmt(quantile(sprt.pairs, 0.5))} / ${fmt(quantile(sprt.pairs, 0.9))})`,
    fmt(sprtExpectedPairs(band, MARGIN, ALPHA, BETA)),
    fmt(ratio, 2),
    `${fmt(falsePasses / RUNS, 3)} [${fmt(falsePass.low, 3)}, ${fmt(falsePass.high, 3)}]`,
    fmt(power, 3),
    fmt(powerInBudget, 3),
  ]);
  const futilityPower = futility.filter((o) => o.verdict === "pass").length / RUNS;
  futilityRows.push([
    String(band),
    fmt(mean(futilityPairs)),
    fmt(quantile(futilityPairs, 0.5)),
    fmt(quantile(futilityPairs, 0.9)),
    fmt(futilityRatio, 2),
    fmt(futilityPower, 3),
    fmt(futility.filter((o) => o.verdict === "pass" && o.pairs <= DEFAULT_BUDGET).length / RUNS, 3),
  ]);
  const plainPairs = plain.map((o) => o.pairs);
  mixtureRows.push([String(band), fmt(mean(plainPairs)), fmt(quantile(plainPairs, 0.5)), fmt(quantile(plainPairs, 0.9)), fmt(mean(plainPairs) / sprtMean, 2)]);
  summary[String(band)] = {
    meanPairs: Number(fmt(mean(pairs), 1)),
    medianPairs: quantile(pairs, 0.5),
    p90Pairs: quantile(pairs, 0.9),
    sprtMeanPairs: Number(fmt(sprtMean, 1)),
    ratioToSprt: Number(fmt(ratio, 3)),
    falsePassRate: falsePasses / RUNS,
    falsePassInterval95: [Number(fmt(falsePass.low, 4)), Number(fmt(falsePass.high, 4))],
    power,
    powerWithin400: powerInBudget,
    plainMixture: { meanPairs: Number(fmt(mean(plainPairs), 1)), ratioToSprt: Number(fmt(mean(plainPairs) / sprtMean, 3)) },
    futilityDesign: { meanPairs: Number(fmt(mean(futilityPairs), 1)), ratioToSprt: Number(fmt(futilityRatio, 3)), power: futilityPower },
  };
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

console.log(`Pairs to verdict, margin ${MARGIN}, alpha = beta = ${ALPHA}, look after every pair, ${RUNS} calibrations per cell`);
console.log("Candidate equal to the baseline (s, t independent Bernoulli(band)); false passes: candidate exactly at the margin, up to 1,000 pairs.\n");
console.log(
  table(
    ["band", "mean", "median", "p90", "SPRT mean (median / p90)", "Wald E[N]", "ratio", "false-pass rate [95% CI]", "power", "power <= 400"],
    rows,
  ),
);
console.log("\nFutility design (fail margin 0: the same two hypotheses as the SPRT, an equal candidate fails with probability <= beta):\n");
console.log(table(["band", "mean", "median", "p90", "ratio", "power", "power <= 400"], futilityRows));
console.log("\nFor comparison, the plain mixture of bets alone (uniform over 32 stakes, no plug-in bet), default design:\n");
console.log(table(["band", "mean", "median", "p90", "ratio"], mixtureRows));

// Serving-path cost of a format check: a compiled contract on typical outputs.
function timeChecks(outputs: string[], probe: string): number {
  const check = compileContract(inferContract(outputs));
  const iterations = 200_000;
  for (let i = 0; i < 10_000; i++) check(probe);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) check(probe);
  return Number(process.hrtime.bigint() - start) / iterations / 1000;
}
const jsonOutputs = Array.from({ length: 50 }, (_, i) =>
  JSON.stringify({ id: `T-${i}`, category: ["billing", "refund", "technical"][i % 3], urgent: i % 2 === 0, customer: { name: "Ana", email: i % 4 ? null : "a@b.c" }, items: [{ sku: "A1", qty: i }] }),
);
const textOutputs = Array.from({ length: 50 }, (_, i) => `## Summary\n\n- point ${i}\n- another point that is a bit longer\n\nThanks.`);
const jsonMicros = timeChecks(jsonOutputs, jsonOutputs[7] as string);
const textMicros = timeChecks(textOutputs, textOutputs[7] as string);
console.log(`\nFormat check on the serving path: JSON contract ${fmt(jsonMicros, 2)} µs per output, text contract ${fmt(textMicros, 2)} µs per output.`);
summary.formatCheckMicros = { json: Number(fmt(jsonMicros, 3)), text: Number(fmt(textMicros, 3)) };

console.log(
  JSON.stringify({
    falsePassRate: Object.fromEntries(BANDS.map((b) => [b, (summary[String(b)] as { falsePassRate: number }).falsePassRate])),
    power: Object.fromEntries(BANDS.map((b) => [b, (summary[String(b)] as { power: number }).power])),
    ratioToSprt: Object.fromEntries(BANDS.map((b) => [b, (summary[String(b)] as { ratioToSprt: number }).ratioToSprt])),
    bands: summary,
  }),
);
