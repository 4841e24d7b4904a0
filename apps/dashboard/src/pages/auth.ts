import type { Hono, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { assertSameOrigin, safeNext, SIGN_IN_COOKIE, type Sessions } from "../auth/session.ts";
import { randomId, sameSecret } from "../auth/tokens.ts";
import type { DashboardEnv } from "../env.ts";
import { signInPage, type SignInView } from "../views/sign-in.ts";

/** Sign in with the admin token or a one-time link, and sign out. */
export function authRoutes(
  app: Hono<DashboardEnv>,
  sessions: Sessions,
  adminToken: string,
  headers: MiddlewareHandler<DashboardEnv>,
): void {
  const form = (c: Parameters<MiddlewareHandler>[0], status: 200 | 401 | 403, view: Omit<SignInView, "formToken">) => {
    // A fresh double-submit token per rendering: the form and the cookie must match, and nothing else can
    // set a cookie on this origin.
    const formToken = randomId();
    setCookie(c, SIGN_IN_COOKIE, formToken, { httpOnly: true, sameSite: "Strict", path: "/", maxAge: 3600 });
    return c.html(signInPage({ ...view, formToken }), status);
  };

  app.get("/sign-in", headers, (c) => {
    const next = safeNext(c.req.query("next"), new URL(c.req.url).origin);
    if (typeof sessions.read(c) !== "string") return c.redirect(next, 303);
    const message =
      c.req.query("expired") !== undefined
        ? ({ kind: "info", text: "Your session has expired. Sign in again to continue." } as const)
        : c.req.query("signed-out") !== undefined
          ? ({ kind: "success", text: "You are signed out." } as const)
          : undefined;
    return form(c, 200, message ? { next, message } : { next });
  });

  app.post("/sign-in", headers, async (c) => {
    const body = await c.req.parseBody();
    const next = safeNext(typeof body["next"] === "string" ? body["next"] : undefined, new URL(c.req.url).origin);
    const given = typeof body["_csrf"] === "string" ? body["_csrf"] : "";
    const expected = getCookie(c, SIGN_IN_COOKIE) ?? "";
    let sameOrigin = true;
    try {
      assertSameOrigin(c);
    } catch {
      sameOrigin = false;
    }
    if (!sameOrigin || expected === "" || !sameSecret(given, expected)) {
      return form(c, 403, {
        next,
        message: { kind: "error", text: "The sign-in form had expired or did not come from this page. Try again." },
      });
    }
    const token = typeof body["token"] === "string" ? body["token"] : "";
    if (!sameSecret(token, adminToken)) {
      return form(c, 401, { next, message: { kind: "error", text: "That is not the admin token of this server." } });
    }
    sessions.start(c);
    return c.redirect(next, 303);
  });

  app.get("/sign-in/link", headers, (c) => {
    const now = sessions.now();
    const claims = sessions.signer.verify(c.req.query("token") ?? "", now);
    if (claims === null || claims.kind !== "link" || sessions.spent.has(claims.nonce, now)) {
      return form(c, 401, {
        next: "/",
        message: { kind: "error", text: "This sign-in link is invalid, expired or already used. Sign in with the admin token." },
      });
    }
    sessions.spent.spend(claims.nonce, claims.exp, now);
    sessions.start(c);
    return c.redirect("/", 303);
  });

  app.post("/sign-out", headers, sessions.require(), sessions.csrf(), (c) => {
    sessions.end(c, c.var.session);
    return c.redirect("/sign-in?signed-out=1", 303);
  });
}
