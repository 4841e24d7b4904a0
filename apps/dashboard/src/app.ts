import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableReason } from "@proofgate/db";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { DEFAULT_SESSION_TTL_MS, Refused, Sessions, type Refusal } from "./auth/session.ts";
import type { DashboardDeps, DashboardEnv } from "./env.ts";
import { NotFound } from "./errors.ts";
import { authRoutes } from "./pages/auth.ts";
import { promptRoutes } from "./pages/prompts.ts";
import { reportRoutes } from "./pages/reports.ts";
import { keyRoutes } from "./pages/keys.ts";
import { routingRoutes } from "./pages/routing.ts";
import { errorBody, page } from "./views/layout.ts";
import { disabledPage } from "./views/sign-in.ts";

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), "utf8");
const css = asset("dashboard.css");
const js = asset("dashboard.js");

/**
 * Pages are markup with no inline script or style, so the policy can forbid both: an injected string
 * cannot run even if some escaping were ever missed.
 */
const securityHeaders: MiddlewareHandler<DashboardEnv> = async (c, next) => {
  if (!c.get("requestId")) c.set("requestId", randomUUID());
  await next();
  c.header(
    "content-security-policy",
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  c.header("x-content-type-options", "nosniff");
  // Not no-referrer: under it browsers send `Origin: null` on same-origin form posts, which the origin check refuses.
  c.header("referrer-policy", "same-origin");
  c.header("cache-control", "no-store");
};

const refusals: Record<Refusal, { status: 401 | 403; text: string }> = {
  "signed-out": { status: 401, text: "You are not signed in. Sign in and try again." },
  expired: { status: 401, text: "Your session has expired. Sign in again, then repeat the action." },
  csrf: {
    status: 403,
    text: "This action was refused: it did not carry this session's form token, so it may not have come from this dashboard. Reload the page and try again.",
  },
  origin: { status: 403, text: "This action was refused: it was sent from another site." },
};

const UNAVAILABLE_TEXT =
  `The database is not answering just now, so this page cannot be shown. Nothing was lost; reload the page in ${DATABASE_RETRY_AFTER_SECONDS} seconds or so. If you had sent a form, check whether its change was saved before sending it again.`;

function errorPage(c: Context<DashboardEnv>, status: 401 | 403 | 404 | 500 | 503, message: string) {
  const csrf = c.get("csrf");
  const body = errorBody(status, message, c.get("requestId") ?? "unknown");
  return c.html(page(csrf ? { title: "Error", csrf, body } : { title: "Error", body }), status);
}

/**
 * The dashboard as a Hono app, mounted by the server at `/`. Middleware is attached route by route, never
 * with a wildcard, because a wildcard on a sub-app mounted at `/` would also run on the proxy and API routes.
 */
export function createDashboard(deps: DashboardDeps): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  app.get("/assets/dashboard.css", (c) => c.body(css, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=300" }));
  app.get("/assets/dashboard.js", (c) => c.body(js, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=300" }));

  const token = deps.adminToken;
  if (token === undefined) {
    const disabled = (c: Context<DashboardEnv>) => c.html(disabledPage(), 503);
    for (const path of ["/", "/sign-in", "/prompts/:id", "/routes", "/keys", "/audit"]) app.get(path, securityHeaders, disabled);
    return app;
  }

  const sessions = new Sessions(token, deps.now ?? Date.now, deps.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS);
  authRoutes(app, sessions, token, securityHeaders);
  promptRoutes(app, deps.db, sessions, securityHeaders, deps.startCalibration, deps.routing);
  reportRoutes(app, deps.db, sessions, securityHeaders, deps.routing);
  routingRoutes(app, deps.db, sessions, securityHeaders, deps.routing);
  keyRoutes(app, deps.db, sessions, securityHeaders, deps.keyUse);

  app.onError((error, c) => {
    if (error instanceof Refused) {
      const { status, text } = refusals[error.reason];
      return errorPage(c, status, text);
    }
    if (error instanceof NotFound) return errorPage(c, 404, error.message);
    const unavailable = databaseUnavailableReason(error);
    if (unavailable !== null) {
      // An outage, not a broken page: no stack in the log, and advice to come back rather than an apology.
      deps.logger?.warn?.({ reqId: c.get("requestId"), reason: unavailable }, "dashboard: database unavailable");
      c.header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
      return errorPage(c, 503, UNAVAILABLE_TEXT);
    }
    if (deps.logger) deps.logger.error({ reqId: c.get("requestId"), err: error }, "dashboard page failed");
    else console.error(`dashboard page failed (request ${c.get("requestId")})`, error);
    return errorPage(c, 500, "The dashboard could not render this page. The error is logged with the request id below.");
  });
  return app;
}
