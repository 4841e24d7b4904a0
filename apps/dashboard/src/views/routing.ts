import type { RouteEventRow } from "@proofgate/db";
import { html } from "hono/html";
import { driftWords, type RouteStatus } from "../routing-data.ts";
import { reportHref } from "./calibrations.ts";
import { count, usd, when } from "./format.ts";
import { emptyState, page, type Markup } from "./layout.ts";

function promptLink(promptId: string, names: Map<string, string>): Markup {
  return html`<a href="/prompts/${encodeURIComponent(promptId)}">${names.get(promptId) ?? promptId}</a>`;
}

export function savingsWords(status: RouteStatus): string {
  const s = status.savings;
  if (!s) return "—";
  const saved = s.savedUsd === null ? "baseline price unknown" : `${usd(s.savedUsd)} saved`;
  return `${saved} over ${count(s.candidateRequests)} candidate request${s.candidateRequests === 1 ? "" : "s"} (${count(s.fallbackRequests)} fell back; drift watch cost ${usd(s.shadowCostUsd)})`;
}

/** Revert: one click, no confirmation, because going back to the baseline is always safe. */
export function revertForm(promptId: string, csrf: string): Markup {
  return html`<form method="post" action="/prompts/${encodeURIComponent(promptId)}/revert" class="inline-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <button type="submit" class="button danger">Revert to the baseline</button>
</form>`;
}

/** The routing table: which model serves each prompt, since when, approved by whom, saving how much. */
export function routesPage(csrf: string, statuses: RouteStatus[] | null, alpha: number, names: Map<string, string>): Markup {
  const body =
    statuses === null
      ? emptyState("Routing is not available.", "This server cannot switch prompts: every prompt is served by the model its caller asks for.")
      : statuses.length === 0
        ? emptyState(
            "No switch approved.",
            html`Every prompt is served by the model its caller asks for. A prompt moves to a cheaper model only when a
            calibration has passed it and someone approves the switch from its parity report; it then appears here with its
            realised savings and drift-watch status, and can be reverted at any time.`,
          )
        : html`<p>${count(statuses.filter((s) => s.route.state === "candidate").length)} prompt(s) switched ·
  ${usd(statuses.reduce((sum, s) => sum + (s.savings?.savedUsd ?? 0), 0))} saved in total since their switches.</p>
<div class="table-wrap"><table class="responsive">
  <caption class="visually-hidden">Routing table</caption>
  <thead><tr><th scope="col">Prompt</th><th scope="col">Served by</th><th scope="col">Approved</th>
    <th scope="col">Realised savings</th><th scope="col">Drift watch</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
  <tbody>
  ${statuses.map((status) => {
    const route = status.route;
    const switched = route.state === "candidate";
    return html`<tr>
    <th scope="row" data-label="Prompt">${promptLink(route.promptId, names)}</th>
    <td data-label="Served by"><span class="tag ${route.state}">${route.state}</span>
      <code>${switched ? route.candidateModel : route.baselineModel}</code>
      ${switched ? html`<span class="muted small">baseline <code>${route.baselineModel}</code></span>` : ""}</td>
    <td data-label="Approved">${route.approvedAt ? html`${when(route.approvedAt)}<span class="muted small">by ${route.approvedBy ?? "—"}</span>` : "—"}
      ${!switched && route.revertedAt ? html`<span class="muted small">reverted ${when(route.revertedAt)}: ${route.revertReason ?? ""}</span>` : ""}</td>
    <td data-label="Realised savings">${savingsWords(status)}</td>
    <td data-label="Drift watch">${driftWords(status.drift, alpha)}</td>
    <td data-label="Action">${switched ? revertForm(route.promptId, csrf) : ""}</td>
  </tr>`;
  })}
  </tbody>
</table></div>`;
  return page({ title: "Routes", csrf, section: "routes", body: html`<div class="page-head"><h1>Routes</h1></div>${body}` });
}

const kindWords: Record<RouteEventRow["kind"], string> = { approve: "approved", revert: "reverted", policy: "policy" };

export function eventsTable(events: RouteEventRow[], names: Map<string, string> | null): Markup {
  const withPrompt = names !== null;
  return html`<div class="table-wrap"><table class="responsive">
  <caption class="visually-hidden">Route changes, newest first</caption>
  <thead><tr><th scope="col">When</th>${withPrompt ? html`<th scope="col">Prompt</th>` : ""}<th scope="col">Change</th>
    <th scope="col">Who</th><th scope="col">Report</th><th scope="col">Why</th></tr></thead>
  <tbody>
  ${events.map(
    (e) => html`<tr>
    <td data-label="When"><time datetime="${e.createdAt.toISOString()}">${when(e.createdAt)}</time></td>
    ${names ? html`<td data-label="Prompt">${promptLink(e.promptId, names)}</td>` : ""}
    <td data-label="Change"><span class="tag ${e.kind === "approve" ? "candidate" : e.kind === "revert" ? "fallback" : "baseline"}">${kindWords[e.kind]}</span>
      ${e.model ? html`<code>${e.model}</code>` : ""}</td>
    <td data-label="Who">${e.actor}</td>
    <td data-label="Report">${e.calibrationId && e.model ? html`<a href="${reportHref(e.calibrationId, e.model)}">parity report</a>` : "—"}</td>
    <td data-label="Why">${e.reason}</td>
  </tr>`,
  )}
  </tbody>
</table></div>`;
}

/** Every change of route: who, when, which report, why (approvals, reverts, automatic drift reverts). */
export function auditPage(csrf: string, events: RouteEventRow[] | null, older: string | null, names: Map<string, string>): Markup {
  const body =
    events === null
      ? emptyState("Routing is not available.", "This server cannot switch prompts, so no route change is ever recorded.")
      : events.length === 0
        ? emptyState(
            "No route change recorded.",
            "Approvals, reverts and automatic reverts by the drift watch are recorded here, each with who made it, when, the report it relied on and why.",
          )
        : html`${eventsTable(events, names)}
${older ? html`<nav class="pager" aria-label="Pages"><a href="${older}" rel="next">Older changes</a></nav>` : ""}`;
  return page({ title: "Audit log", csrf, section: "audit", body: html`<div class="page-head"><h1>Audit log</h1></div>${body}` });
}
