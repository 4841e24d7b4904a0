import { html } from "hono/html";
import { emptyState, page, type Markup } from "./layout.ts";

/** The routing table: which model serves each prompt, since when, approved by whom, saving how much. */
export function routesPage(csrf: string): Markup {
  return page({
    title: "Routes",
    csrf,
    section: "routes",
    body: html`<div class="page-head"><h1>Routes</h1></div>
${emptyState(
  "No switch approved.",
  html`Every prompt is served by the model its caller asks for. A prompt moves to a cheaper model only when a
  calibration has passed it and someone approves the switch from its parity report; it then appears here with its
  realised savings and drift-watch status, and can be reverted at any time.`,
)}`,
  });
}

/** Every change of route: who, when, which report, why (approvals, reverts, automatic drift reverts). */
export function auditPage(csrf: string): Markup {
  return page({
    title: "Audit log",
    csrf,
    section: "audit",
    body: html`<div class="page-head"><h1>Audit log</h1></div>
${emptyState(
  "No route change recorded.",
  "Approvals, reverts and automatic reverts by the drift watch are recorded here, each with who made it, when, the report it relied on and why.",
)}`,
  });
}
