import { buildParityReport, createAxisState, decide, estimateSavings, mulberry32, observeBatch, type AxisInput, type AxisName, type AxisState, type ParityReport } from "@proofgate/parity";
import type { ReportView } from "../src/views/report.ts";

/**
 * Parity reports made by the real engine from seeded pairs: the report views are checked against what the
 * engine builds, not against hand-written numbers.
 */
export function evidence(seed: number, pairs: number, pBand: number, pCandidate: number, axis: AxisName = "categorical"): AxisState {
  const random = mulberry32(seed);
  let state = createAxisState(axis, { margin: 0.05 });
  for (let done = 0; done < pairs; done += 20) {
    const batch: [number, number][] = [];
    for (let i = 0; i < 20; i += 1) batch.push([random() < pBand ? 1 : 0, random() < pCandidate ? 1 : 0]);
    state = observeBatch(state, batch);
  }
  return state;
}

export function parityReport(axes: AxisInput[], options: { maxPairs?: number; candidate?: string } = {}): ParityReport {
  const decision = decide(axes, { alpha: 0.05, beta: 0.05, candidates: 1, maxPairs: options.maxPairs ?? 400 });
  return buildParityReport({
    prompt: "support-triage",
    baselineModel: "gpt-4o",
    candidateModel: options.candidate ?? "gpt-4o-mini",
    alpha: 0.05,
    axes,
    decision,
    savings: estimateSavings({
      requests: 3000,
      windowDays: 10,
      baselineCostsUsd: Array.from({ length: 50 }, (_, i) => 0.004 + (i % 5) * 0.0001),
      candidateCostsUsd: Array.from({ length: 50 }, (_, i) => 0.0003 + (i % 5) * 0.00001),
      calibrationSpentUsd: 0.84,
      shadowShare: 0.05,
    }),
  });
}

export function view(report: ParityReport, overrides: Partial<ReportView> = {}): ReportView {
  return {
    csrf: "token",
    promptId: "support-triage",
    promptTitle: "support-triage",
    calibrationId: "cal_1",
    finishedAt: new Date("2026-11-21T10:00:00Z"),
    report,
    spendUsd: 0.84,
    examples: [],
    servingModel: "gpt-4o",
    approvals: true,
    ...overrides,
  };
}
