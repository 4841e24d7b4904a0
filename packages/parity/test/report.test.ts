import { describe, expect, it } from "vitest";
import {
  buildParityReport,
  createAxisState,
  createPositionConsistency,
  decide,
  estimateSavings,
  inferContract,
  mulberry32,
  observeBatch,
  recordPositionConsistency,
  selectDisagreementExamples,
  semanticScore,
  type DisagreementExample,
} from "../src/index.ts";

describe("savings", () => {
  const input = {
    requests: 3000,
    windowDays: 3,
    baselineCostsUsd: Array.from({ length: 200 }, (_, i) => 0.01 + (i % 5) * 0.001),
    candidateCostsUsd: Array.from({ length: 200 }, (_, i) => 0.001 + (i % 5) * 0.0001),
    calibrationSpentUsd: 4.5,
  };

  it("scales observed traffic to a month and brackets the saving", () => {
    const s = estimateSavings(input);
    expect(s.monthlyRequests.estimate).toBe(30_000);
    expect(s.monthlyCostNowUsd.estimate).toBeCloseTo(30_000 * 0.012, 6);
    expect(s.monthlyCostWithCandidateUsd.estimate).toBeCloseTo(30_000 * 0.0012, 6);
    expect(s.monthlySavingUsd.low).toBeLessThan(s.monthlySavingUsd.estimate);
    expect(s.monthlySavingUsd.high).toBeGreaterThan(s.monthlySavingUsd.estimate);
    // 324 USD a month saved: 4.5 USD back in 4.5 / (324 / 30) days.
    expect(s.paybackDays?.estimate).toBeCloseTo(4.5 / (324 / 30), 6);
    expect(s.explanation).toContain("$324.00");
  });

  it("charges shadowing and fallback at the baseline price, and has no payback without a saving", () => {
    const withOverhead = estimateSavings({ ...input, shadowShare: 0.05, fallbackRate: 0.01 });
    expect(withOverhead.monthlyCostWithCandidateUsd.estimate).toBeCloseTo(30_000 * (0.0012 + 0.06 * 0.012), 6);
    const dearer = estimateSavings({ ...input, candidateCostsUsd: input.baselineCostsUsd.map((c) => c * 2) });
    expect(dearer.monthlySavingUsd.estimate).toBeLessThan(0);
    expect(dearer.paybackDays).toBeNull();
  });
});

describe("parity report", () => {
  it("states band, candidate agreement, bound, margin and verdict per axis", () => {
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
    const decision = decide(axes, { alpha: 0.05, beta: 0.05, candidates: 2, maxPairs: 400 });
    let consistency = createPositionConsistency();
    for (const [a, b] of [["same", "same"], ["same", "different"], ["different", "different"]] as const) {
      consistency = recordPositionConsistency(consistency, semanticScore(a, b));
    }
    const examples: DisagreementExample[] = [
      { axis: "semantic", captureId: "c1", task: "t", reference: "r", candidate: "c", score: 0.5, note: "partly" },
      { axis: "semantic", captureId: "c2", task: "t", reference: "r", candidate: "c", score: 0, note: "different" },
      { axis: "semantic", captureId: "c3", task: "t", reference: "r", candidate: "c", score: 1, note: "same" },
    ];
    const report = buildParityReport({
      prompt: "support-triage",
      baselineModel: "big",
      candidateModel: "small",
      alpha: 0.05,
      axes,
      decision,
      examples,
      examplesPerAxis: 2,
      consistency: { semantic: consistency },
      contract: inferContract(["a short answer", "another one"]),
    });
    expect(report.pairs).toBe(300);
    expect(report.alphaPerCandidate).toBeCloseTo(0.025);
    expect(report.verdict).toBe(decision.verdict);
    const sem = report.axes[1];
    if (!sem?.applicable) throw new Error("semantic should apply");
    expect(sem.band.n).toBe(300);
    expect(sem.band.low).toBeLessThan(sem.band.mean);
    expect(sem.band.high).toBeGreaterThan(sem.band.mean);
    expect(sem.candidate.low).toBeLessThan(sem.candidate.mean);
    expect(sem.margin).toBe(0.05);
    expect(sem.reason.length).toBeGreaterThan(20);
    expect(report.axes[2]).toEqual({ axis: "categorical", applicable: false, reason: "free text" });
    expect(report.examples.map((e) => e.captureId)).toEqual(["c2", "c1"]);
    expect(report.judgeConsistency[0]).toMatchObject({ kind: "semantic", judged: 3, consistent: 2 });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("keeps the worst examples of each axis", () => {
    const e = (axis: "format" | "semantic", id: string, score: number): DisagreementExample => ({ axis, captureId: id, task: "", reference: "", candidate: "", score, note: "" });
    const picked = selectDisagreementExamples([e("format", "f1", 0), e("semantic", "s1", 0.5), e("format", "f2", 0), e("format", "f3", 0)], 2);
    expect(picked.map((x) => x.captureId)).toEqual(["f1", "f2", "s1"]);
  });
});
