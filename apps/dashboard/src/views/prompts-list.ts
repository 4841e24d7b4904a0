import type { PromptSort, PromptWithRates } from "@proofgate/db";
import { html } from "hono/html";
import type { BestCandidate } from "../calibration-data.ts";
import { reportHref } from "./calibrations.ts";
import { ago, count, usd } from "./format.ts";
import { emptyState, page, type Markup } from "./layout.ts";
import { badge } from "./report.ts";

export interface PromptListQuery {
  q: string;
  sort: PromptSort;
  dir: "asc" | "desc";
  page: number;
}

/** What the calibrations of a prompt say, for its row. */
export interface PromptVerdicts {
  best: BestCandidate | null;
  /** The calibration the best candidate's report belongs to. */
  calibrationId: string | null;
  running: boolean;
}

export interface PromptListView {
  csrf: string;
  verdicts: Map<string, PromptVerdicts>;
  /** Prompts switched to a candidate, and the model serving each. */
  serving: Map<string, string>;
  query: PromptListQuery;
  rows: PromptWithRates[];
  total: number;
  pageSize: number;
  now: number;
}

/** The order a column starts in: numbers read best largest first, names alphabetically. */
export function defaultDir(sort: PromptSort): "asc" | "desc" {
  return sort === "name" ? "asc" : "desc";
}

/** A URL of this list with some parameters changed, so sorting, searching and paging compose. */
export function listHref(query: PromptListQuery, change: Partial<PromptListQuery>): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.sort !== "cost") params.set("sort", next.sort);
  if (next.dir !== defaultDir(next.sort)) params.set("dir", next.dir);
  if (next.page > 1) params.set("page", String(next.page));
  const text = params.toString();
  return text ? `/?${text}` : "/";
}

function sortHeader(query: PromptListQuery, sort: PromptSort, label: string, numeric: boolean): Markup {
  const active = query.sort === sort;
  // A second click on the active column flips its order.
  const dir = active ? (query.dir === "asc" ? "desc" : "asc") : defaultDir(sort);
  const ariaSort = active ? (query.dir === "asc" ? "ascending" : "descending") : "none";
  const arrow = active ? (query.dir === "asc" ? "▲" : "▼") : "";
  return html`<th scope="col" aria-sort="${ariaSort}"${numeric ? html` class="num"` : ""}>
    <a href="${listHref(query, { sort, dir, page: 1 })}">${label}<span aria-hidden="true">${arrow}</span></a>
  </th>`;
}

function candidateCell(v: PromptVerdicts | undefined): Markup {
  const running = v?.running ? html` <span class="muted small">calibrating…</span>` : "";
  if (!v?.best || !v.calibrationId) return html`<span class="muted">${v?.running ? "" : "no calibration yet"}</span>${running}`;
  return html`<a href="${reportHref(v.calibrationId, v.best.model)}">${v.best.model}</a> ${badge(v.best.verdict)}${running}`;
}

function row(p: PromptWithRates, v: PromptVerdicts | undefined, serving: string | undefined, now: number): Markup {
  const saving = v?.best?.monthlySavingUsd;
  const href = `/prompts/${encodeURIComponent(p.id)}`;
  return html`<tr>
  <th scope="row" data-label="Prompt">
    <a href="${href}">${p.name ?? p.id}</a>
    <span class="muted small">${p.name === null ? "found by template" : p.name !== p.id ? p.id : "named by header"} · seen ${ago(p.lastSeenAt, now)}</span>
  </th>
  <td class="num" data-label="Traffic">${count(p.perDay)}/day <span class="muted small">${count(p.captureCount)} captured</span></td>
  <td class="num" data-label="Baseline cost">${usd(p.monthlyCostUsd)}<span class="muted small">/month</span></td>
  <td data-label="Route">${serving
    ? html`<span class="tag candidate">candidate</span> <code>${serving}</code>`
    : html`<span class="tag baseline">baseline</span> <code>${p.model}</code>`}</td>
  <td data-label="Best candidate">${candidateCell(v)}</td>
  <td class="num" data-label="Projected savings">${saving === null || saving === undefined ? html`<span class="muted">—</span>` : html`${usd(saving)}<span class="muted small">/month</span>`}</td>
</tr>`;
}

export function promptsListPage(view: PromptListView): Markup {
  const { query } = view;
  const pages = Math.max(1, Math.ceil(view.total / view.pageSize));
  const searching = query.q.length > 0;
  const table =
    view.rows.length === 0
      ? searching
        ? emptyState(`No prompt matches “${query.q}”.`, html`Search looks at names, ids, models and templates. <a href="${listHref(query, { q: "", page: 1 })}">Show all prompts</a>.`)
        : emptyState(
            "No traffic captured yet.",
            html`Point your SDK's <code>baseURL</code> at this server (<code>/v1</code>) and send requests; each prompt
            appears here after its first capture. Name a prompt with the <code>x-proofgate-prompt</code> header, or let
            proofgate find it by its template.`,
          )
      : html`<div class="table-wrap">
  <table class="prompts responsive">
    <caption class="visually-hidden">Prompts, sorted by ${query.sort} (${query.dir === "asc" ? "ascending" : "descending"})</caption>
    <thead><tr>
      ${sortHeader(query, "name", "Prompt", false)}
      ${sortHeader(query, "traffic", "Traffic", true)}
      ${sortHeader(query, "cost", "Baseline cost", true)}
      <th scope="col">Route</th>
      <th scope="col">Best candidate</th>
      <th scope="col" class="num">Projected savings</th>
    </tr></thead>
    <tbody>${view.rows.map((p) => row(p, view.verdicts.get(p.id), view.serving.get(p.id), view.now))}</tbody>
  </table>
</div>
${pages > 1
  ? html`<nav class="pager" aria-label="Pages">
  ${query.page > 1 ? html`<a href="${listHref(query, { page: query.page - 1 })}" rel="prev">Previous</a>` : ""}
  <span>Page ${query.page} of ${pages}</span>
  ${query.page < pages ? html`<a href="${listHref(query, { page: query.page + 1 })}" rel="next">Next</a>` : ""}
</nav>`
  : ""}`;

  return page({
    title: "Prompts",
    csrf: view.csrf,
    section: "prompts",
    body: html`<div class="page-head">
  <h1>Prompts</h1>
  <p class="muted">${count(view.total)} prompt${view.total === 1 ? "" : "s"}${searching ? " matching" : ""}. Rates are
  taken over each prompt's observed traffic (at least one day), so a short burst is not multiplied up.</p>
</div>
<form class="search" method="get" action="/" role="search">
  <label for="q">Search prompts</label>
  <input id="q" name="q" type="search" value="${query.q}" placeholder="name, id, model or template words">
  ${query.sort !== "cost" ? html`<input type="hidden" name="sort" value="${query.sort}">` : ""}
  ${query.dir !== defaultDir(query.sort) ? html`<input type="hidden" name="dir" value="${query.dir}">` : ""}
  <button type="submit" class="button">Search</button>
</form>
${table}`,
  });
}
