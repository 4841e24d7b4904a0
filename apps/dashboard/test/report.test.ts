import { describe, expect, it } from "vitest";
import { axisEvidence, exampleView, requestInput, verdictWords } from "../src/report-model.ts";
import { approvePage, reportPage } from "../src/views/report.ts";
import { evidence, parityReport, view } from "./report-fixtures.ts";

describe("parity report view", () => {
  it("reads a passing candidate in plain words, with its intervals and savings, and offers the approval", async () => {
    const report = parityReport([evidence(1, 400, 0.97, 0.995), { axis: "format", applicable: false, reason: "the outputs are free text with no structure to keep" }]);
    expect(report.verdict).toBe("pass");
    const page = String(await reportPage(view(report)));
    expect(page).toContain("Safe to switch.");
    expect(page).toContain(`$${report.savings!.monthlySavingUsd.estimate.toFixed(2)}/month`);
    expect(page).toContain("Not applicable: the outputs are free text");
    expect(page).toContain('href="/prompts/support-triage/approve?calibration=cal_1&amp;model=gpt-4o-mini"');
    expect(page).toMatch(/<svg class="axis-chart"[^>]*role="img"/);
    // Once the candidate serves the prompt there is nothing left to approve.
    expect(String(await reportPage(view(report, { servingModel: "gpt-4o-mini" })))).not.toContain("Review and approve");
    // A server that cannot switch routes says so instead of offering a button that leads nowhere.
    const noRouting = String(await reportPage(view(report, { approvals: false })));
    expect(noRouting).not.toContain("Review and approve");
    expect(noRouting).toContain("Switching routes is not available in this version");
  });

  it("reads a failing candidate as unsafe, names the axis, and offers no approval", async () => {
    const report = parityReport([evidence(2, 200, 0.97, 0.7)]);
    expect(report.verdict).toBe("fail");
    const page = String(await reportPage(view(report)));
    expect(page).toContain("Not safe to switch. On labels");
    expect(page).not.toContain("Review and approve");
  });

  it("never claims an interval is inside the margin when the drawn bound is not", () => {
    for (const seed of [1, 3, 5, 7, 11, 13]) {
      const report = parityReport([evidence(seed, 400, 0.92, 0.94, "semantic")]);
      const axis = report.axes[0]!;
      if (!axis.applicable) throw new Error("semantic axis applies");
      const words = axisEvidence(axis).summary;
      if (axis.difference.upperBound >= axis.margin) expect(words).not.toMatch(/inside the/);
      else if (axis.verdict === "pass") expect(words).toContain("inside the 5.0-point margin");
      const { band, candidate, gap } = axisEvidence(axis).chart;
      for (const i of [band, candidate, gap]) {
        expect(i.low).toBeLessThanOrEqual(i.mean + 1e-12);
        expect(i.mean).toBeLessThanOrEqual(i.high + 1e-12);
      }
    }
  });

  it("says why there is no verdict when the budget ends first", () => {
    const report = parityReport([evidence(4, 60, 0.95, 0.92)], { maxPairs: 60 });
    expect(report.verdict).toBe("inconclusive");
    expect(verdictWords(report)).toMatch(/^No verdict\. Reached the pairs budget \(60\)/);
  });

  it("shows a disagreement side by side with the judge's verdicts in both orders, escaped", async () => {
    const example = exampleView({
      sample: 3,
      captureId: "0190",
      scores: { format: 1, categorical: 0, semantic: 0.5 },
      details: { categoricalJudge: { verdicts: ["A", "B"] }, semanticJudge: { verdicts: ["different", "same"] } },
      request: { messages: [{ role: "system", content: "Classify." }, { role: "user", content: "Ticket: <b>refund</b>" }] },
      reference: '{"category":"billing"}',
      candidate: '{"category":"refunds"}',
    });
    const page = String(await reportPage(view(parityReport([evidence(5, 200, 0.97, 0.96)]), { examples: [example] })));
    expect(page).toContain("Input: Ticket: &lt;b&gt;refund&lt;/b&gt;");
    expect(page).toMatch(/Labels judge, baseline's answer shown first: <strong>prefers the baseline&#39;s answer<\/strong>/);
    expect(page).toMatch(/Meaning judge, baseline's answer shown first: <strong>different substance<\/strong>[^]*first: <strong>same substance<\/strong>/);
    expect(page).toContain("agreement: format 1, labels 0, meaning 0.5");
  });

  it("finds the varying input in chat, content-part and Responses requests", () => {
    expect(requestInput({ messages: [{ role: "user", content: [{ type: "text", text: "hello" }] }] })).toBe("hello");
    expect(requestInput({ input: "translate this" })).toBe("translate this");
    expect(requestInput(null)).toBeNull();
  });

  it("reads a stored request whose content part nests 10,000 deep without overflowing", () => {
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const request = { messages: [{ role: "user", content: [{ type: "text", text: deep }, { type: "text", text: "the rest" }] }] };
    expect(requestInput(request)).toBe("the rest");
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
