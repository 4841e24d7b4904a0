import type { CaptureRow, PromptRow } from "@proofgate/db";
import type { FormatContract } from "@proofgate/parity";
import { html } from "hono/html";
import { ago, clip, count, ms, usd, when } from "./format.ts";
import type { RouteEventRow } from "@proofgate/db";
import { driftWords, type RouteStatus } from "../routing-data.ts";
import { calibrationHistory, reportHref, type CalibrationEntry } from "./calibrations.ts";
import { eventsTable, revertForm, savingsWords } from "./routing.ts";
import { emptyState, notice, page, type Markup } from "./layout.ts";
import { CAPTURES_WHOLE, storedJson, storedText } from "./stored.ts";

export interface PromptDetailView {
  csrf: string;
  prompt: PromptRow;
  perDay: number;
  monthlyCostUsd: number;
  captures: CaptureRow[];
  /** Newest first. */
  calibrations: CalibrationEntry[];
  /** Whether this server can start a calibration from the page. */
  canCalibrate: boolean;
  /** Null when this server cannot switch routes. */
  routing: { status: RouteStatus | null; events: RouteEventRow[]; alpha: number } | null;
  /** Inferred from the recent successful outputs; null when there are none to infer from. */
  contract: FormatContract | null;
  contractSamples: number;
  now: number;
  flash?: { kind: "success" | "error" | "info"; text: string };
  /** The rejected name, kept in the field after a failed rename. */
  nameDraft?: string;
}

export const NAME_MAX = 100;

function stat(label: string, value: Markup | string): Markup {
  return html`<div class="stat"><dt>${label}</dt><dd>${value}</dd></div>`;
}

function captureRow(c: CaptureRow, now: number): Markup {
  const failed = c.status >= 400 || c.error !== null;
  return html`<li class="capture">
  <details>
    <summary>
      <span class="capture-head">
        <time datetime="${c.createdAt.toISOString()}" title="${when(c.createdAt)}">${ago(c.createdAt, now)}</time>
        <span class="tag ${c.route}">${c.route}</span>
        <code>${c.servedModel}</code>
        <span class="${failed ? "status-bad" : "status-ok"}">${failed ? `failed (${c.status})` : c.status}</span>
        <span class="muted">${count(c.inputTokens)} in · ${count(c.outputTokens)} out · ${usd(c.costUsd)} · ${ms(c.latencyMs)}</span>
      </span>
      <span class="capture-preview">${clip(c.outputText ?? c.error ?? "(no output)", 160)}</span>
    </summary>
    <div class="capture-body">
      <h4>Output</h4>
      ${storedText(c.outputText ?? c.error ?? "(no output)", { what: "output", whole: CAPTURES_WHOLE })}
      ${c.toolCalls ? html`<h4>Tool calls</h4>${storedJson(c.toolCalls, { what: "list of tool calls", whole: CAPTURES_WHOLE })}` : ""}
      <h4>Request</h4>
      ${storedJson(c.request, { what: "request", whole: CAPTURES_WHOLE })}
    </div>
  </details>
</li>`;
}

function contractSection(view: PromptDetailView): Markup {
  const contract = view.contract;
  if (contract === null) {
    return emptyState(
      "No output to infer a format from yet.",
      "The format contract is inferred from successful baseline outputs; it appears once this prompt has some.",
    );
  }
  return html`<p class="muted">What the ${view.contractSamples} most recent successful outputs have in common
  (${contract.mode === "json" ? "JSON" : "text"}). A calibration infers its own contract from its sample and stores it
  with the report; this is a preview.</p>
<ul class="rules">${contract.rules.map((r) => html`<li>${r.explanation}</li>`)}</ul>`;
}

function routeStat(view: PromptDetailView): Markup {
  const route = view.routing?.status?.route;
  if (route?.state === "candidate") return html`<span class="tag candidate">candidate</span> <code>${route.candidateModel}</code>`;
  return html`<span class="tag baseline">baseline</span>`;
}

function routeSection(view: PromptDetailView): Markup {
  const routing = view.routing;
  if (!routing) return html``;
  const status = routing.status;
  const route = status?.route;
  const switched = route?.state === "candidate";
  return html`<section aria-labelledby="route-h">
  <h2 id="route-h">Route</h2>
  ${switched && status && route
    ? html`<p>Served by <code>${route.candidateModel}</code> instead of <code>${route.baselineModel}</code> since
    ${when(route.approvedAt)}, approved by ${route.approvedBy ?? "—"}${route.calibrationId && route.candidateModel
      ? html` on <a href="${reportHref(route.calibrationId, route.candidateModel)}">this parity report</a>`
      : ""}.</p>
  <dl class="stats">
    <div class="stat"><dt>Realised savings</dt><dd>${savingsWords(status)}</dd></div>
    <div class="stat"><dt>Drift watch</dt><dd>${driftWords(status.drift, routing.alpha)}</dd></div>
  </dl>
  ${revertForm(view.prompt.id, view.csrf)}`
    : html`<p>Served by the model its callers ask for (<code>${view.prompt.model}</code>).${route?.revertedAt
        ? html` Reverted ${when(route.revertedAt)}: ${route.revertReason ?? ""}.`
        : ""} Approve a candidate from a passing parity report.</p>`}
  ${routing.events.length > 0 ? html`<h3>Changes</h3>${eventsTable(routing.events, null)}` : ""}
</section>`;
}

export function promptDetailPage(view: PromptDetailView): Markup {
  const p = view.prompt;
  const title = p.name ?? p.id;
  return page({
    title,
    csrf: view.csrf,
    section: "prompts",
    body: html`<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Prompts</a> / <span aria-current="page">${title}</span></nav>
<div class="page-head">
  <h1>${title}</h1>
  <p class="muted">Id <code>${p.id}</code> · ${p.source === "header" ? "named by the x-proofgate-prompt header" : "found by its template"} ·
  <code>${p.endpoint}</code></p>
</div>
${view.flash ? notice(view.flash.kind, view.flash.text) : ""}
<dl class="stats">
  ${stat("Baseline model", html`<code>${p.model}</code>`)}
  ${stat("Current route", routeStat(view))}
  ${stat("Traffic", `${count(view.perDay)}/day`)}
  ${stat("Baseline cost", `${usd(view.monthlyCostUsd)}/month`)}
  ${stat("Captured", `${count(p.captureCount)} (${count(p.errorCount)} failed)`)}
  ${stat("Spend so far", usd(p.costUsd))}
  ${stat("First seen", when(p.firstSeenAt))}
  ${stat("Last seen", ago(p.lastSeenAt, view.now))}
</dl>

${routeSection(view)}

<section aria-labelledby="calibrations-h">
  <h2 id="calibrations-h">Calibrations</h2>
  ${calibrationHistory(view.calibrations, p.id, view.canCalibrate ? { csrf: view.csrf } : null)}
</section>

<section aria-labelledby="contract-h">
  <h2 id="contract-h">Format contract</h2>
  ${contractSection(view)}
</section>

<section aria-labelledby="template-h">
  <h2 id="template-h">Template</h2>
  <p class="muted">Instructions and user turn with the varying parts masked.</p>
  ${storedText(p.template, { what: "template", className: "template", whole: html`the admin API (<code>GET /api/prompts/:id</code>) returns it whole` })}
</section>

<section aria-labelledby="captures-h">
  <h2 id="captures-h">Recent captures</h2>
  <div id="recent-captures" data-refresh="5000">
  ${view.captures.length === 0
    ? emptyState("No captures stored.", "Captures appear here as traffic for this prompt arrives.")
    : html`<ul class="captures">${view.captures.map((c) => captureRow(c, view.now))}</ul>`}
  </div>
</section>

<section aria-labelledby="rename-h">
  <h2 id="rename-h">Rename</h2>
  <form method="post" action="/prompts/${encodeURIComponent(p.id)}/rename" class="inline-form">
    <input type="hidden" name="_csrf" value="${view.csrf}">
    <label for="name">Display name</label>
    <input id="name" name="name" required maxlength="${NAME_MAX}" value="${view.nameDraft ?? p.name ?? ""}"
      aria-describedby="name-help">
    <button type="submit" class="button">Save name</button>
    <p id="name-help" class="muted">The id stays the same, so routes, calibrations and captures keep pointing at this prompt.</p>
  </form>
</section>`,
  });
}
