import { decide } from "@proofgate/parity";
import { describe, expect, it } from "vitest";
import { agreementInterval, axisEvidence, verdictWords } from "../src/report-model.ts";
import { approvePage, reportPage } from "../src/views/report.ts";
import { evidence, view } from "./report-fixtures.ts";

describe("parity report view", () => {
  it("reads a passing candidate in plain words, with its intervals, and offers the approval", async () => {
    const state = evidence(1, 400, 0.97, 0.995);
    const v = view([state, { axis: "format", applicable: false, reason: "the outputs are free text with no structure to keep" }]);
    expect(v.decision.verdict).toBe("pass");
    const page = String(await reportPage(v));
    expect(page).toContain("Safe to switch.");
    expect(page).toContain("$112.50/month");
    expect(page).toContain("Not applicable: the outputs are free text");
    expect(page).toContain('href="/prompts/support-triage/approve?calibration=cal_1&amp;model=gpt-4o-mini"');
    expect(page).toMatch(/<svg class="axis-chart"[^>]*role="img"/);
    // Once the candidate serves the prompt there is nothing left to approve.
    expect(String(await reportPage({ ...v, servingModel: "gpt-4o-mini" }))).not.toContain("Review and approve");

  });

  it("reads a failing candidate as unsafe, names the axis, and offers no approval", async () => {
    const state = evidence(2, 200, 0.97, 0.7);
    const v = view([state]);
    expect(v.decision.verdict).toBe("fail");
    const page = String(await reportPage(v));
    expect(page).toContain("Not safe to switch. On labels");
    expect(page).not.toContain("Review and approve");
  });

  it("draws intervals that contain their estimates, and the gap bounds the verdict used", () => {
    const state = evidence(3, 300, 0.95, 0.9);
    const decided = decide([state], { alpha: 0.05, beta: 0.05, candidates: 1, maxPairs: 300 });
    const axis = decided.axes[0]!;
    if (!axis.applicable) throw new Error("categorical axis should apply");
    const e = axisEvidence(state, axis, 0.05);
    for (const i of [e.chart.band, e.chart.candidate, e.chart.gap]) {
      expect(i.low).toBeLessThanOrEqual(i.mean);
      expect(i.mean).toBeLessThanOrEqual(i.high);
    }
    expect(e.chart.gap.high).toBe(axis.differenceUpperBound);
    expect(e.chart.band.mean).toBeCloseTo(state.s.reduce((sum, [x, c]) => sum + x * c, 0) / state.n, 12);
    expect(agreementInterval([], 0.05)).toMatchObject({ low: 0, high: 1 });
  });

  it("says why there is no verdict when the budget ends first", () => {
    const state = evidence(4, 60, 0.95, 0.92);
    const decision = decide([state], { alpha: 0.05, beta: 0.05, candidates: 1, maxPairs: 60 });
    expect(decision.verdict).toBe("inconclusive");
    expect(verdictWords(decision, 0.05)).toMatch(/^No verdict\. Reached the pairs budget \(60\)/);
  });

  it("shows disagreements side by side with the judge's verdict in both orders, escaped", async () => {
    const state = evidence(5, 200, 0.97, 0.96);
    const page = String(
      await reportPage(
        view([state], {
          examples: [{ axis: "categorical", input: "Ticket: <b>refund</b>", reference: '{"category":"billing"}', candidate: '{"category":"refunds"}',
            judge: { referenceFirst: "A", candidateFirst: "A" }, score: 0 }],
        }),
      ),
    );
    expect(page).toContain("Input: Ticket: &lt;b&gt;refund&lt;/b&gt;");
    expect(page).toMatch(/baseline shown first: <strong>A<\/strong> · candidate shown first:\s*<strong>A<\/strong>/);
  });

  it("confirms a switch by saying what changes and what it saves", async () => {
    const page = String(
      await approvePage({ csrf: "tok", promptId: "support-triage", promptTitle: "support-triage", baseline: "gpt-4o",
        candidate: "gpt-4o-mini", calibrationId: "cal_1", savings: { baselineMonthlyUsd: 120, candidateMonthlyUsd: 7.5 }, shadowShare: 0.05 }),
    );
    expect(page).toContain("Expected savings: <strong>$112.50/month</strong>");
    expect(page).toContain('action="/prompts/support-triage/route"');
    expect(page).toContain('name="_csrf" value="tok"');
    expect(page).toContain("5% of switched requests");
  });
});
