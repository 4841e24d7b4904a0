import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

export type Section = "prompts" | "routes" | "keys" | "audit" | null;

export interface PageOptions {
  title: string;
  /** Present when signed in: the header then shows navigation and the sign-out form. */
  csrf?: string;
  section?: Section;
  body: Markup;
}

const sections: { id: Exclude<Section, null>; href: string; label: string }[] = [
  { id: "prompts", href: "/", label: "Prompts" },
  { id: "routes", href: "/routes", label: "Routes" },
  { id: "keys", href: "/keys", label: "Keys" },
  { id: "audit", href: "/audit", label: "Audit log" },
];

/** The shell of every page: skip link, header with navigation, one main landmark. */
export function page(options: PageOptions): Markup {
  const signedIn = options.csrf !== undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · proofgate</title>
<link rel="stylesheet" href="/assets/dashboard.css">
<script type="module" src="/assets/dashboard.js"></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <a class="brand" href="/">proofgate</a>
  ${signedIn
    ? html`<nav aria-label="Main">
    <ul>
      ${sections.map(
        (s) => html`<li><a href="${s.href}"${s.id === options.section ? html` aria-current="page"` : ""}>${s.label}</a></li>`,
      )}
    </ul>
  </nav>
  <form class="sign-out" method="post" action="/sign-out">
    <input type="hidden" name="_csrf" value="${options.csrf}">
    <button type="submit" class="button subtle">Sign out</button>
  </form>`
    : ""}
</header>
<main id="main" tabindex="-1">
${options.body}
</main>
</body>
</html>`;
}

/** A designed empty state: what is missing, why, and what makes it appear. */
export function emptyState(title: string, explanation: Markup | string): Markup {
  return html`<div class="empty-state" role="status">
  <p class="empty-title">${title}</p>
  <p>${explanation}</p>
</div>`;
}

export function notice(kind: "success" | "error" | "info", message: Markup | string): Markup {
  return html`<div class="notice ${kind}" role="${kind === "error" ? "alert" : "status"}">${message}</div>`;
}

/** Error page body: the message, and the request id an operator can look up in the logs. */
export function errorBody(status: number, message: string, requestId: string): Markup {
  return html`<section class="error-page">
  <h1>${status === 404 ? "Not found" : status === 503 ? "Temporarily unavailable" : status >= 500 ? "Something went wrong" : "Request refused"}</h1>
  <p>${message}</p>
  <p class="muted">Request id <code>${requestId}</code>: it appears in the server log line of this request.</p>
  <p><a href="/">Back to prompts</a></p>
</section>`;
}
