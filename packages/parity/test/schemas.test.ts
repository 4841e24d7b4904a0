import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildParityReport,
  calibratedAxisSchema,
  compareLabels,
  createAxisState,
  createPositionConsistency,
  decide,
  driftAxisStateSchema,
  driftTest,
  estimateSavings,
  formatContractSchema,
  inferContract,
  inferLabelSpec,
  labelComparisonSchema,
  labelSpecSchema,
  mulberry32,
  observeBatch,
  parityReportSchema,
  recordPositionConsistency,
  semanticScore,
  type CalibratedAxis,
  type ParityReport,
} from "../src/index.ts";

const GOLDEN = join(import.meta.dirname, "../../../fixtures/golden");

function goldenOutputs(dir: string): [string, string[]][] {
  return readdirSync(join(GOLDEN, dir))
    .filter((f) => f.endsWith(".json") && !f.endsWith(".expected.json"))
    .sort()
    .map((f) => [f, (JSON.parse(readFileSync(join(GOLDEN, dir, f), "utf8")) as { outputs: string[] }).outputs]);
}

/** What a jsonb column gives back. */
const stored = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

/** A report as the engine builds one, with every optional part filled (savings, contract, label spec, examples). */
function engineReport(): ParityReport {
  const random = mulberry32(9);
  const pairs = (band: number, cand: number, n: number): [number, number][] =>
    Array.from({ length: n }, () => [random() < band ? 1 : 0, random() < cand ? 1 : 0]);
  let format = createAxisState("format", { margin: 0.05 });
  let semantic = createAxisState("semantic", { margin: 0.05 });
  for (let i = 0; i < 15; i++) {
    format = observeBatch(format, pairs(0.99, 0.99, 20));
    semantic = observeBatch(semantic, pairs(0.95, 0.95, 20));
  }
  const axes = [format, semantic, { axis: "categorical" as const, applicable: false as const, reason: "free text" }];
  let consistency = createPositionConsistency();
  for (const [a, b] of [
    ["same", "same"],
    ["same", "different"],
  ] as const)
    consistency = recordPositionConsistency(consistency, semanticScore(a, b));
  return buildParityReport({
    prompt: "support-triage",
    baselineModel: "big",
    candidateModel: "small",
    alpha: 0.05,
    axes,
    decision: decide(axes, { alpha: 0.05, beta: 0.05, candidates: 2, maxPairs: 400 }),
    examples: [{ axis: "semantic", captureId: "c2", task: "t", reference: "r", candidate: "c", score: 0, note: "different" }],
    consistency: { semantic: consistency },
    savings: estimateSavings({
      requests: 3000,
      windowDays: 3,
      baselineCostsUsd: [0.01, 0.012],
      candidateCostsUsd: [0.001],
      calibrationSpentUsd: 4.5,
    }),
    contract: inferContract(['{"label":"a"}', '{"label":"b"}']),
    labelSpec: inferLabelSpec(["yes", "no", "yes", "no", "yes", "no"]),
  });
}

describe("stored-object schemas", () => {
  it("parse every golden format contract, reloaded from JSON", () => {
    for (const [name, outputs] of goldenOutputs("contracts")) {
      const contract = inferContract(outputs);
      expect(formatContractSchema.parse(stored(contract)), name).toEqual(contract);
    }
  });

  it("parse every golden label spec and the label comparisons it makes, reloaded from JSON", () => {
    for (const [name, outputs] of goldenOutputs("labels")) {
      const spec = inferLabelSpec(outputs);
      expect(labelSpecSchema.parse(stored(spec)), name).toEqual(spec);
      for (const other of outputs.slice(0, 3)) {
        const comparison = compareLabels(spec, outputs[0] ?? "", other);
        expect(labelComparisonSchema.parse(stored(comparison)), name).toEqual(comparison);
      }
    }
  });

  it("parse a parity report with savings, contract and label spec, reloaded from JSON", () => {
    const report = engineReport();
    expect(report.savings).not.toBeNull();
    expect(report.labelSpec?.applicable).toBe(true);
    expect(parityReportSchema.parse(stored(report))).toEqual(report);
  });

  it("parse calibrated axes and the drift states they give", () => {
    const calibrated: CalibratedAxis[] = [
      { axis: "semantic", bandLow: 0.9, margin: 0.05 },
      { axis: "format", bandLow: 0.99, margin: 0.02 },
    ];
    const result = driftTest(calibrated, [
      { semantic: 0.5, format: 1 },
      { semantic: 0, format: null },
    ]);
    for (const axis of calibrated) expect(calibratedAxisSchema.parse(stored(axis))).toEqual(axis);
    for (const state of result.axes) expect(driftAxisStateSchema.parse(stored(state))).toEqual(state);
  });

  it("reject an object of another version", () => {
    const report = stored(engineReport()) as Record<string, unknown>;
    expect(parityReportSchema.safeParse({ ...report, version: 2 }).success).toBe(false);
    const contract = stored(inferContract(["a short answer", "another one"])) as Record<string, unknown>;
    expect(formatContractSchema.safeParse({ ...contract, version: 2 }).success).toBe(false);
    const spec = stored(inferLabelSpec(["yes", "no"])) as Record<string, unknown>;
    expect(labelSpecSchema.safeParse({ ...spec, version: 2 }).success).toBe(false);
  });
});
