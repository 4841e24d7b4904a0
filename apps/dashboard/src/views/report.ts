import type { AxisReport, ParityReport } from "@proofgate/parity";
import { html } from "hono/html";
import { AXIS_QUESTIONS, AXIS_TITLES, axisEvidence, verdictWords, type ExampleView } from "../report-model.ts";
import { clip, count, usd, when } from "./format.ts";
import { axisChart } from "./interval-chart.ts";
import { emptyState, notice, page, type Markup } from "./layout.ts";
import { SHOWN_CHARS, storedText } from "./stored.ts";

export interface Savings {
  baselineMonthlyUsd: number;
  candidateMonthlyUsd: number;
}

export interface ReportView {
  csrf: string;
  promptId: string;
  promptTitle: string;
  calibrationId: string;
  finishedAt: Date | null;
  report: ParityReport;
  /** What the whole calibration cost (replays and judge calls, every candidate). */
  spendUsd: number;
  examples: ExampleView[];
  /** The model serving the prompt now; the approve button hides once it is this candidate. */
  servingModel: string;
  /** Whether this server can switch routes; without a routing table the page says so instead of offering it. */
  approvals: boolean;
}

export function badge(verdict: string): Markup {
  const words: Record<string, string> = { pass: "pass", fail: "fail", inconclusive: "inconclusive", continue: "running" };
  return html`<span class="verdict ${verdict}">${words[verdict] ?? verdict}</span>`;
}

function axisSection(axis: ParityReport["axes"][number]): Markup {
  const title = AXIS_TITLES[axis.axis];
  if (!axis.applicable) {
    return html`<section class="axis" aria-labelledby="axis-${axis.axis}">
  <h3 id="axis-${axis.axis}">${title} ${badge("n/a")}</h3>
  <p>Not applicable: ${axis.reason}</p>
</section>`;
  }
  const evidence = axisEvidence(axis as AxisReport);
  return html`<section class="axis" aria-labelledby="axis-${axis.axis}">
  <h3 id="axis-${axis.axis}">${title} ${badge(axis.verdict)}</h3>
  <p class="muted">${AXIS_QUESTIONS[axis.axis]}</p>
  <p>${evidence.summary}</p>
  <div class="chart-wrap" tabindex="0" role="group" aria-label="${title} chart">${axisChart(evidence.chart)}</div>
  <details><summary>Statistical detail</summary><p>${axis.reason}</p><p class="muted">${count(axis.band.n)} pairs.</p></details>
</section>`;
}

function example(e: ExampleView, i: number): Markup {
  const scores = (["format", "categorical", "semantic"] as const)
    .filter((a) => e.scores[a] !== null)
    .map((a) => `${AXIS_TITLES[a].toLowerCase()} ${e.scores[a]}`)
    .join(", ");
  return html`<li class="example">
  <h4>Example ${i + 1} · agreement: ${scores}</h4>
  ${e.input ? html`<p class="muted">Input: ${clip(e.input, SHOWN_CHARS)}</p>` : ""}
  <div class="side-by-side">
    <div><h5>Baseline (captured)</h5>${storedText(e.reference, { what: "answer" })}</div>
    <div><h5>Candidate</h5>${storedText(e.candidate, { what: "answer" })}</div>
  </div>
  ${e.violations.length > 0 ? html`<p>Format contract broken: ${e.violations.join("; ")}</p>` : ""}
  ${e.judges.map(
    (j) => html`<p>${j.kind} judge, baseline's answer shown first: <strong>${j.referenceFirst}</strong> · candidate's answer shown
      first: <strong>${j.candidateFirst}</strong></p>`,
  )}
</li>`;
}

export function reportPage(view: ReportView): Markup {
  const { report } = view;
  const saving = report.savings?.monthlySavingUsd;
  const canApprove = report.verdict === "pass" && view.servingModel !== report.candidateModel;
  const promptHref = `/prompts/${encodeURIComponent(view.promptId)}`;
  const candidate = report.candidateModel;
  return page({
    title: `${candidate} for ${view.promptTitle}`,
    csrf: view.csrf,
    section: "prompts",
    body: html`<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Prompts</a> / <a href="${promptHref}">${view.promptTitle}</a> /
  <span aria-current="page">${candidate}</span></nav>
<div class="page-head">
  <h1>${candidate} ${badge(report.verdict)}</h1>
  <p class="muted">Parity report for <a href="${promptHref}">${view.promptTitle}</a>: candidate <code>${candidate}</code>
  against baseline <code>${report.baselineModel}</code>${view.finishedAt ? ` · finished ${when(view.finishedAt)}` : ""}.</p>
</div>
<p class="verdict-words">${verdictWords(report)}</p>
<dl class="stats">
  <div class="stat"><dt>Pairs used</dt><dd>${count(report.pairs)}</dd></div>
  <div class="stat"><dt>Calibration spend</dt><dd>${usd(view.spendUsd)}</dd></div>
  <div class="stat"><dt>False-switch rate</dt><dd>at most ${report.alpha}</dd></div>
  <div class="stat"><dt>Projected savings</dt><dd>${saving ? `${usd(saving.estimate)}/month` : "—"}</dd></div>
</dl>
${report.savings ? html`<p class="muted">${report.savings.explanation}</p>` : ""}
${canApprove && !view.approvals
  ? html`<p class="notice info" role="note">Switching routes is not available in this version: every prompt is served by its baseline model.</p>`
  : ""}
${canApprove && view.approvals
  ? html`<p><a class="button primary" href="${promptHref}/approve?calibration=${encodeURIComponent(view.calibrationId)}&amp;model=${encodeURIComponent(candidate)}">Review and approve the switch</a></p>`
  : ""}
<h2>Evidence per axis</h2>
${report.axes.map(axisSection)}
${report.judgeConsistency.length > 0
  ? html`<p class="muted">Judge consistency: ${report.judgeConsistency.map(
      (j) => `${j.kind} judge gave the same answer in both orders ${(j.rate * 100).toFixed(0)}% of ${j.judged} times`,
    ).join("; ")}.</p>`
  : ""}
<h2>Disagreements</h2>
${view.examples.length === 0
  ? emptyState("No disagreement to show.", "Every judged pair of this candidate agreed with the captured answer.")
  : html`<ol class="examples">${view.examples.map(example)}</ol>`}`,
  });
}

export interface ApproveView {
  csrf: string;
  promptId: string;
  promptTitle: string;
  baseline: string;
  candidate: string;
  calibrationId: string;
  savings: Savings | null;
  shadowShare: number;
  /** Why the last attempt was refused, shown above the form. */
  refusal?: string;
}

/** The confirmation before a switch: what changes, what protects the traffic, what it is expected to save. */
export function approvePage(view: ApproveView): Markup {
  const promptHref = `/prompts/${encodeURIComponent(view.promptId)}`;
  return page({
    title: `Approve ${view.candidate}`,
    csrf: view.csrf,
    section: "prompts",
    body: html`<section class="confirm">
  <h1>Switch ${view.promptTitle} to ${view.candidate}?</h1>
  ${view.refusal ? notice("error", `The switch was refused: ${view.refusal}`) : ""}
  <ul>
    <li>Requests for this prompt will be served by <code>${view.candidate}</code> instead of <code>${view.baseline}</code>;
      callers change nothing.</li>
    <li>If the candidate errs, times out or breaks the format contract, the same request is sent to
      <code>${view.baseline}</code> and its answer returned, in the same response.</li>
    <li>${(view.shadowShare * 100).toFixed(0)}% of switched requests are also sent to the baseline to watch for drift; drift
      or a rising fallback rate reverts the switch by itself.</li>
    <li>${view.savings
      ? html`Expected savings: <strong>${usd(view.savings.baselineMonthlyUsd - view.savings.candidateMonthlyUsd)}/month</strong>
        (${usd(view.savings.baselineMonthlyUsd)} on the baseline, ${usd(view.savings.candidateMonthlyUsd)} on the candidate, at current traffic).`
      : "Expected savings cannot be estimated yet."}</li>
    <li>You can revert at any time from the prompt page or the routes page.</li>
  </ul>
  <form method="post" action="${promptHref}/route" class="inline-form">
    <input type="hidden" name="_csrf" value="${view.csrf}">
    <input type="hidden" name="model" value="${view.candidate}">
    <input type="hidden" name="calibration" value="${view.calibrationId}">
    <button type="submit" class="button primary">Approve the switch</button>
    <a href="${promptHref}">Cancel</a>
  </form>
</section>`,
  });
}
