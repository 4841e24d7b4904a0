import { createAxisState, decide, mulberry32, observeBatch, type AxisInput, type AxisName, type AxisState } from "@proofgate/parity";
import type { ReportView } from "../src/views/report.ts";

/**
 * The parity report view, rendered from evidence the real engine produced on seeded pairs. Calibrations are
 * not stored yet, so this checks the rendering and the plain-words reading of the engine's decision; the
 * end-to-end path (calibration on the simulator -> report page -> approve) is tested once they are.
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

export function view(axes: AxisInput[], overrides: Partial<ReportView> = {}): ReportView {
  const decision = decide(axes, { alpha: 0.05, beta: 0.05, candidates: 1, maxPairs: 400 });
  return {
    csrf: "token",
    promptId: "support-triage",
    promptTitle: "support-triage",
    baseline: "gpt-4o",
    candidate: "gpt-4o-mini",
    calibrationId: "cal_1",
    finishedAt: new Date("2026-11-21T10:00:00Z"),
    alpha: 0.05,
    decision,
    axes,
    pairs: Math.max(...axes.map((a) => ("n" in a ? a.n : 0))),
    spendUsd: 0.84,
    savings: { baselineMonthlyUsd: 120, candidateMonthlyUsd: 7.5 },
    examples: [],
    servingModel: "gpt-4o",
    ...overrides,
  };
}

