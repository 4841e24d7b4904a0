import { html } from "hono/html";
import { jsonText } from "@proofgate/db";
import { count } from "./format.ts";
import type { Markup } from "./layout.ts";

/**
 * Captured text and JSON are whatever clients sent and models answered: any size, any depth. A page shows
 * at most this much of each, so one 30 MB capture keeps its page small and fast.
 */
export const SHOWN_CHARS = 50_000;
/** Deeper containers are shown as `[…]`: past this the indentation alone would fill the block. */
export const SHOWN_DEPTH = 64;

export interface StoredOptions {
  /** What the block holds, for the note under a cut one ("request", "output"). */
  what: string;
  /** Where the whole of it can be read, when the page cannot show it all. */
  whole?: Markup | string;
  className?: string;
}

/** The admin API call that returns a prompt's recent captures whole. */
export const CAPTURES_WHOLE = html`the admin API (<code>GET /api/prompts/:id?captures=…</code>) returns it whole`;

function cutNote(o: StoredOptions): Markup {
  return html`<p class="muted cut-note">Only the first ${count(SHOWN_CHARS)} characters of this ${o.what} are shown${o.whole ? html`; ${o.whole}` : ""}.</p>`;
}

function pre(text: string, o: StoredOptions): Markup {
  return o.className ? html`<pre class="${o.className}">${text}</pre>` : html`<pre>${text}</pre>`;
}

/** Stored text in a preformatted block, cut at SHOWN_CHARS with a note saying so. */
export function storedText(text: string, o: StoredOptions): Markup {
  if (text.length <= SHOWN_CHARS) return pre(text, o);
  return html`${pre(`${text.slice(0, SHOWN_CHARS)}…`, o)}${cutNote(o)}`;
}

/** A stored JSON value pretty-printed without recursion, cut in size and depth, with notes saying so. */
export function storedJson(value: unknown, o: StoredOptions): Markup {
  const { text, truncated, elided } = jsonText(value, { indent: 2, maxChars: SHOWN_CHARS, maxDepth: SHOWN_DEPTH });
  const deep = elided
    ? html`<p class="muted cut-note">Nested more than ${SHOWN_DEPTH} levels deep: the inner values are shown as <code>[…]</code> or <code>{…}</code>.</p>`
    : "";
  return html`${pre(truncated ? `${text}…` : text, o)}${deep}${truncated ? cutNote(o) : ""}`;
}
