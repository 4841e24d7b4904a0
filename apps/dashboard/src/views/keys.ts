import type { ClientKeyListing } from "@proofgate/db";
import { html } from "hono/html";
import type { KeyUse } from "../env.ts";
import { count, usd, when } from "./format.ts";
import { emptyState, page, type Markup } from "./layout.ts";

export interface KeyView {
  row: ClientKeyListing;
  /** Null for a revoked key, or when this server cannot read the counters. */
  use: KeyUse | null;
}

/** "used of limit", or the use alone when there is no limit. */
function against(used: string, limit: number | null, format: (n: number) => string): Markup {
  return limit === null
    ? html`${used} <span class="muted small">no limit</span>`
    : html`${used} <span class="muted small">of ${format(limit)}</span>`;
}

function useCells(k: KeyView): Markup {
  const { row, use } = k;
  const cell = (label: string, used: number | null | undefined, limit: number | null, format: (n: number) => string) =>
    html`<td data-label="${label}">${use === null ? html`<span class="muted small">${limit === null ? "no limit" : `limit ${format(limit)}`}</span>` : against(format(used ?? Number.NaN), limit, format)}</td>`;
  return html`${cell("Requests this minute", use?.requestsThisMinute, row.rpm, count)}
    ${cell("Tokens this minute", use?.tokensThisMinute, row.tpm, count)}
    ${cell("Spent today (UTC)", use?.spentTodayUsd, row.dailyUsd, usd)}
    ${cell("Spent this month", use?.spentThisMonthUsd, row.monthlyUsd, usd)}`;
}

/** The client keys: who they are (never the secret), their limits and their use in the current windows. */
export function keysPage(csrf: string, keys: KeyView[], counted: boolean): Markup {
  const body =
    keys.length === 0
      ? emptyState(
          "No client keys yet.",
          html`Create one with <code>pnpm proofgate keys create --name &lt;name&gt; [--rpm N] [--tpm N] [--daily-usd N] [--monthly-usd N]</code>
          or <code>POST /api/keys</code>; it is shown once, and only its hash is stored.`,
        )
      : html`<p class="muted">Limits are set with <code>pnpm proofgate keys update</code> or <code>PATCH /api/keys/:id</code>.
  ${counted ? "Use is what the proxies counted in the current minute, UTC day and month." : "This server does not count use."}</p>
<div class="table-wrap"><table class="responsive">
  <caption class="visually-hidden">Client keys</caption>
  <thead><tr><th scope="col">Key</th><th scope="col">Status</th><th scope="col">Requests this minute</th>
    <th scope="col">Tokens this minute</th><th scope="col">Spent today (UTC)</th><th scope="col">Spent this month</th></tr></thead>
  <tbody>
  ${keys.map(
    (k) => html`<tr>
    <th scope="row" data-label="Key">${k.row.name}<span class="muted small"><code>${k.row.prefix}…</code> created ${when(k.row.createdAt)}</span></th>
    <td data-label="Status"><span class="tag ${k.row.revokedAt ? "fallback" : "baseline"}">${k.row.revokedAt ? "revoked" : "active"}</span></td>
    ${useCells(k)}
  </tr>`,
  )}
  </tbody>
</table></div>`;
  return page({ title: "Keys", csrf, section: "keys", body: html`<div class="page-head"><h1>Keys</h1></div>${body}` });
}
