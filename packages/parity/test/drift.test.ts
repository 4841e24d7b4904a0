import { describe, expect, it } from "vitest";
import { checkApproval, driftTest, mulberry32 as rng, type CalibratedAxis } from "../src/index.ts";

const axes: CalibratedAxis[] = [
  { axis: "categorical", bandLow: 0.9, margin: 0.05 },
  { axis: "semantic", bandLow: 0.88, margin: 0.05 },
];

describe("drift test", () => {
  it("keeps its false-alarm rate under alpha when the candidate sits exactly on the approved floor, over 400 looks", () => {
    const runs = 400;
    let alarms = 0;
    for (let r = 0; r < runs; r++) {
      const draw = rng(1000 + r);
      const samples = Array.from({ length: 400 }, () => ({ categorical: draw() < 0.85 ? 1 : 0, semantic: draw() < 0.83 ? 1 : 0 }));
      if (driftTest(axes, samples, 0.05).alarm) alarms++;
    }
    // alpha = 0.05 bounds the rate; a binomial 400 draws at 0.05 exceeds 0.08 with probability < 0.01.
    expect(alarms / runs).toBeLessThan(0.08);
  });

  it("alarms within 60 samples when categorical agreement drops to 0.5", () => {
    const worst: number[] = [];
    for (let r = 0; r < 50; r++) {
      const draw = rng(7 + r);
      const samples = Array.from({ length: 200 }, () => ({ categorical: draw() < 0.5 ? 1 : 0, semantic: 1 }));
      let first = -1;
      for (let n = 1; n <= samples.length && first < 0; n++) if (driftTest(axes, samples.slice(0, n)).alarm) first = n;
      worst.push(first);
    }
    expect(Math.min(...worst)).toBeGreaterThan(0);
    expect(Math.max(...worst)).toBeLessThanOrEqual(60);
    const result = driftTest(axes, [{ categorical: 0, semantic: 1 }, { categorical: 0, semantic: 1 }, { categorical: 0, semantic: 1 }, { categorical: 0, semantic: 1 }]);
    expect(result.alarm).toBe(true);
    expect(result.axis).toBe("categorical");
    expect(result.reason).toMatch(/drift on categorical/);
  });

  it("never alarms on perfect agreement, and skips axes a sample does not score", () => {
    const samples = Array.from({ length: 500 }, () => ({ categorical: null, semantic: 1 }));
    const result = driftTest(axes, samples);
    expect(result.alarm).toBe(false);
    expect(result.axes.find((a) => a.axis === "categorical")!.n).toBe(0);
    expect(result.axes.find((a) => a.axis === "semantic")!.n).toBe(500);
  });
});

describe("approval check", () => {
  const contract = { version: 1, mode: "text", samples: 5, length: { min: 1, max: 100 }, features: {}, rules: [] };
  const report = {
    verdict: "pass",
    reason: "passes",
    baselineModel: "gpt-4o",
    contract,
    axes: [{ axis: "semantic", applicable: true, band: { low: 0.9 }, margin: 0.05 }],
  };
  const base = {
    promptId: "p1",
    model: "gpt-4o-mini",
    baselineModel: "gpt-4o",
    fingerprint: "f1",
    calibration: { id: "cal1", report: { candidates: { "gpt-4o-mini": report } }, setup: { contract } },
    calibrationFingerprints: ["f1"],
  };
  it("accepts a current passing report and carries the calibrated floor", () => {
    const check = checkApproval(base);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.calibrated).toEqual([{ axis: "semantic", bandLow: 0.9, margin: 0.05 }]);
  });
  it("refuses with a reason for each missing condition", () => {
    expect(checkApproval({ ...base, calibration: undefined })).toMatchObject({ ok: false, code: "no_report" });
    const failing = { ...base, calibration: { ...base.calibration, report: { candidates: { "gpt-4o-mini": { ...report, verdict: "inconclusive", reason: "budget" } } } } };
    expect(checkApproval(failing)).toMatchObject({ ok: false, code: "report_not_passing" });
    expect(checkApproval({ ...base, fingerprint: "f2" })).toMatchObject({ ok: false, code: "report_stale" });
    expect(checkApproval({ ...base, baselineModel: "gpt-5" })).toMatchObject({ ok: false, code: "report_stale" });
    const otherContract = { ...base, calibration: { ...base.calibration, setup: { contract: { ...contract, samples: 6 } } } };
    expect(checkApproval(otherContract)).toMatchObject({ ok: false, code: "report_stale" });
  });
});
