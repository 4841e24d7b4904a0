import { html } from "hono/html";
import { notice, page, type Markup } from "./layout.ts";

export interface SignInView {
  /** Double-submit token of the sign-in form. */
  formToken: string;
  next: string;
  message?: { kind: "error" | "info" | "success"; text: string };
}

export function signInPage(view: SignInView): Markup {
  return page({
    title: "Sign in",
    body: html`<section class="sign-in">
  <h1>Sign in</h1>
  ${view.message ? notice(view.message.kind, view.message.text) : ""}
  <form method="post" action="/sign-in" class="stack">
    <input type="hidden" name="_csrf" value="${view.formToken}">
    <input type="hidden" name="next" value="${view.next}">
    <label for="token">Admin token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required autofocus
      aria-describedby="token-help">
    <p id="token-help" class="muted">The value of <code>PROOFGATE_ADMIN_TOKEN</code> this server was started with.</p>
    <button type="submit" class="button primary">Sign in</button>
  </form>
</section>`,
  });
}

export function disabledPage(): Markup {
  return page({
    title: "Dashboard disabled",
    body: html`<section class="sign-in">
  <h1>The dashboard is disabled</h1>
  <p>No admin token is configured. Set <code>PROOFGATE_ADMIN_TOKEN</code> (at least 16 characters) and restart
  proofgate to review reports and approve routes here.</p>
</section>`,
  });
}
