import type { CalibrationProgress, CalibrationRow } from "@proofgate/db";
import { html } from "hono/html";
import { liveVerdicts, storedReport } from "../calibration-data.ts";
import { count, usd, when } from "./format.ts";
import { emptyState, type Markup } from "./layout.ts";
import { badge } from "./report.ts";

export interface CalibrationEntry {
  row: CalibrationRow;
  /** Present for a running calibration. */
  progress: CalibrationProgress | null;
}

export function reportHref(calibrationId: string, model: string): string {
  return `/calibrations/${encodeURIComponent(calibrationId)}/report?model=${encodeURIComponent(model)}`;
}

function running(entry: CalibrationEntry): Markup {
  const { row } = entry;
  const progress = entry.progress;
  const sampled = progress?.sampled ?? 0;
  const live = liveVerdicts(progress?.latestStats);
  return html`<p>
  <label for="progress-${row.id}">Pairs drawn</label>
  <progress id="progress-${row.id}" max="${row.maxPairs}" value="${Math.min(sampled, row.maxPairs)}">${sampled} of ${row.maxPairs}</progress>
  ${count(sampled)} of at most ${count(row.maxPairs)} · spent ${usd(row.spendUsd)} of ${usd(row.maxCostUsd)} ·
  ${count(progress?.evaluatedBatches ?? 0)} of ${count(progress?.batches ?? 0)} batches evaluated · ${count(progress?.replays ?? 0)} replays,
  ${count(progress?.judgments ?? 0)} judged
</p>
<ul class="candidates">
  ${row.candidates.map((model) => {
    const now = live[model];
    return html`<li><code>${model}</code> ${badge(now?.verdict ?? "continue")} <span class="muted">${now?.reason ?? "waiting for the first batch"}</span></li>`;
  })}
</ul>`;
}

function finished(row: CalibrationRow): Markup {
  const report = storedReport(row);
  if (row.status === "stopped") {
    return html`<p class="status-bad">Stopped: ${row.stopReason ?? "no reason recorded"}.</p>`;
  }
  if (!report) return html`<p class="muted">This calibration's report cannot be shown by this version of proofgate.</p>`;
  return html`<div class="table-wrap"><table class="responsive">
  <caption class="visually-hidden">Verdict per candidate</caption>
  <thead><tr><th scope="col">Candidate</th><th scope="col">Verdict</th><th scope="col" class="num">Pairs</th><th scope="col" class="num">Projected savings</th></tr></thead>
  <tbody>
  ${row.candidates.map((model) => {
    const r = report.candidates[model];
    if (!r) return html`<tr><th scope="row" data-label="Candidate"><code>${model}</code></th><td colspan="3" data-label="Verdict">no report</td></tr>`;
    const saving = r.verdict === "pass" ? r.savings?.monthlySavingUsd.estimate : undefined;
    return html`<tr>
      <th scope="row" data-label="Candidate"><a href="${reportHref(row.id, model)}">${model}</a></th>
      <td data-label="Verdict">${badge(r.verdict)}</td>
      <td class="num" data-label="Pairs">${count(r.pairs)}</td>
      <td class="num" data-label="Projected savings">${saving === undefined ? "—" : `${usd(saving)}/month`}</td>
    </tr>`;
  })}
  </tbody>
</table></div>
<p class="muted">${count(report.pairs)} pairs drawn · calibration spend ${usd(report.spendUsd)}</p>`;
}

function startForm(promptId: string, csrf: string): Markup {
  return html`<form method="post" action="/prompts/${encodeURIComponent(promptId)}/calibrations" class="inline-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <button type="submit" class="button primary">Start a calibration</button>
  <p class="muted">Replays sampled captures against the candidates configured for this prompt's baseline, within the
  configured pairs and money budgets.</p>
</form>`;
}

/** The prompt page's calibration history; refreshed in place while one is running. */
export function calibrationHistory(entries: CalibrationEntry[], promptId: string, start: { csrf: string } | null): Markup {
  const live = entries.some((e) => e.row.status === "running");
  const action = start && !live ? startForm(promptId, start.csrf) : "";
  if (entries.length === 0) {
    return html`${emptyState(
      "No calibration yet.",
      html`A calibration replays captured requests against cheaper candidates and ends in a verdict per candidate, with
      its parity report.${start ? "" : html` Start one with <code>pnpm proofgate calibrate ${promptId}</code>;`} Its progress and reports appear here.`,
    )}${action}`;
  }
  return html`${action}<div id="calibrations" ${live ? html`data-refresh="3000"` : ""}>
${entries.map(
  (e) => html`<article class="calibration">
  <h3>${e.row.status === "running" ? "Running" : e.row.status === "completed" ? "Finished" : "Stopped"} ·
    started ${when(e.row.createdAt)}${e.row.finishedAt ? html` · ended ${when(e.row.finishedAt)}` : ""}</h3>
  <p class="muted">Baseline <code>${e.row.baselineModel}</code> against ${e.row.candidates.map((m, i) => html`${i > 0 ? ", " : ""}<code>${m}</code>`)} ·
  margins ${(["format", "categorical", "semantic"] as const).map((a) => `${a} ${(e.row.margins[a] * 100).toFixed(1)}`).join(", ")} points ·
  false-switch rate at most ${e.row.alpha}</p>
  ${e.row.status === "running" ? running(e) : finished(e.row)}
</article>`,
)}
</div>`;
}
