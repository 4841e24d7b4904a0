import { isAxisState, type AxisDecision, type AxisInput, type AxisName, type Decision } from "@proofgate/parity";
import { html } from "hono/html";
import { AXIS_QUESTIONS, AXIS_TITLES, axisEvidence, monthlySavings, verdictWords, type Savings } from "../report-model.ts";
import { count, usd, when } from "./format.ts";
import { axisChart } from "./interval-chart.ts";
import { emptyState, page, type Markup } from "./layout.ts";

/** One pair where the candidate disagreed, shown side by side with what the judge said in both orders. */
export interface DisagreementExample {
  axis: AxisName;
  /** The varying input of the request, for context. */
  input: string | null;
  reference: string;
  candidate: string;
  /** The judge's answer with the reference shown first, and with the candidate shown first. */
  judge: { referenceFirst: string; candidateFirst: string } | null;
  score: number;
}

export interface ReportView {
  csrf: string;
  promptId: string;
  promptTitle: string;
  baseline: string;
  candidate: string;
  calibrationId: string;
  finishedAt: Date | null;
  alpha: number;
  decision: Decision;
  /** The engine's per-axis states, in the order of decision.axes. */
  axes: AxisInput[];
  pairs: number;
  spendUsd: number;
  savings: Savings | null;
  examples: DisagreementExample[];
  /** The model serving the prompt now; the approve button hides once it is this candidate. */
  servingModel: string;
}

function badge(verdict: string): Markup {
  const words: Record<string, string> = { pass: "pass", fail: "fail", inconclusive: "inconclusive", continue: "running" };
  return html`<span class="verdict ${verdict}">${words[verdict] ?? verdict}</span>`;
}

function axisSection(view: ReportView, input: AxisInput, decided: Decision["axes"][number]): Markup {
  const title = AXIS_TITLES[input.axis];
  if (!isAxisState(input) || !decided.applicable) {
    const reason = "reason" in input ? input.reason : "";
    return html`<section class="axis" aria-labelledby="axis-${input.axis}">
  <h3 id="axis-${input.axis}">${title} ${badge("n/a")}</h3>
  <p>Not applicable: ${reason}</p>
</section>`;
  }
  const evidence = axisEvidence(input, decided as AxisDecision, view.alpha);
  return html`<section class="axis" aria-labelledby="axis-${input.axis}">
  <h3 id="axis-${input.axis}">${title} ${badge(evidence.verdict)}</h3>
  <p class="muted">${AXIS_QUESTIONS[input.axis]}</p>
  <p>${evidence.summary}</p>
  <div class="chart-wrap" tabindex="0" role="group" aria-label="${title} chart">${axisChart(evidence.chart)}</div>
  <details><summary>Statistical detail</summary><p>${evidence.detail}</p><p class="muted">${count(evidence.pairs)} pairs.</p></details>
</section>`;
}

function example(e: DisagreementExample, i: number): Markup {
  return html`<li class="example">
  <h4>Example ${i + 1} · ${AXIS_TITLES[e.axis]} · agreement ${e.score}</h4>
  ${e.input ? html`<p class="muted">Input: ${e.input}</p>` : ""}
  <div class="side-by-side">
    <div><h5>Baseline (captured)</h5><pre>${e.reference}</pre></div>
    <div><h5>Candidate</h5><pre>${e.candidate}</pre></div>
  </div>
  ${e.judge
    ? html`<p>Judge, baseline shown first: <strong>${e.judge.referenceFirst}</strong> · candidate shown first:
      <strong>${e.judge.candidateFirst}</strong></p>`
    : html`<p class="muted">Decided without a judge (format check or equal labels).</p>`}
</li>`;
}

export function reportPage(view: ReportView): Markup {
  const { decision } = view;
  const savings = view.savings ? monthlySavings(view.savings) : null;
  const canApprove = decision.verdict === "pass" && view.servingModel !== view.candidate;
  const promptHref = `/prompts/${encodeURIComponent(view.promptId)}`;
  return page({
    title: `${view.candidate} for ${view.promptTitle}`,
    csrf: view.csrf,
    section: "prompts",
    body: html`<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Prompts</a> / <a href="${promptHref}">${view.promptTitle}</a> /
  <span aria-current="page">${view.candidate}</span></nav>
<div class="page-head">
  <h1>${view.candidate} ${badge(decision.verdict)}</h1>
  <p class="muted">Parity report for <a href="${promptHref}">${view.promptTitle}</a>: candidate <code>${view.candidate}</code>
  against baseline <code>${view.baseline}</code>${view.finishedAt ? ` · finished ${when(view.finishedAt)}` : ""}.</p>
</div>
<p class="verdict-words">${verdictWords(decision, view.alpha)}</p>
<dl class="stats">
  <div class="stat"><dt>Pairs used</dt><dd>${count(view.pairs)}</dd></div>
  <div class="stat"><dt>Calibration spend</dt><dd>${usd(view.spendUsd)}</dd></div>
  <div class="stat"><dt>False-switch rate</dt><dd>at most ${view.alpha}</dd></div>
  <div class="stat"><dt>Projected savings</dt><dd>${savings === null ? "—" : `${usd(savings)}/month`}</dd></div>
</dl>
${canApprove
  ? html`<p><a class="button primary" href="${promptHref}/approve?calibration=${encodeURIComponent(view.calibrationId)}&amp;model=${encodeURIComponent(view.candidate)}">Review and approve the switch</a></p>`
  : ""}
<h2>Evidence per axis</h2>
${view.axes.map((a, i) => {
  const decided = decision.axes[i];
  return decided ? axisSection(view, a, decided) : "";
})}
<h2>Disagreements</h2>
${view.examples.length === 0
  ? emptyState("No disagreement to show.", "Every judged pair agreed, or no pair has been judged yet.")
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
  <ul>
    <li>Requests for this prompt will be served by <code>${view.candidate}</code> instead of <code>${view.baseline}</code>;
      callers change nothing.</li>
    <li>If the candidate errs, times out or breaks the format contract, the same request is sent to
      <code>${view.baseline}</code> and its answer returned, in the same response.</li>
    <li>${(view.shadowShare * 100).toFixed(0)}% of switched requests are also sent to the baseline to watch for drift; drift
      or a rising fallback rate reverts the switch by itself.</li>
    <li>${view.savings
      ? html`Expected savings: <strong>${usd(monthlySavings(view.savings))}/month</strong>
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
