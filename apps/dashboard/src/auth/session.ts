import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { DashboardEnv } from "../env.ts";
import { randomId, sameSecret, Signer, SpentIds, type SessionClaims } from "./tokens.ts";

export const SESSION_COOKIE = "proofgate_session";
/** Pre-session double-submit cookie of the sign-in form (login CSRF). */
export const SIGN_IN_COOKIE = "proofgate_sign_in";
export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** Why a request was refused; the pages turn it into words and a status. */
export type Refusal = "signed-out" | "expired" | "csrf" | "origin";

export class Refused extends Error {
  override name = "Refused";
  readonly reason: Refusal;
  constructor(reason: Refusal) {
    super(reason);
    this.reason = reason;
  }
}

/** Everything about sessions one dashboard instance needs: its signer, its clock and its revocations. */
export class Sessions {
  readonly signer: Signer;
  readonly now: () => number;
  readonly ttlMs: number;
  /** Signed-out session ids and used sign-in link nonces. */
  readonly spent = new SpentIds();

  constructor(adminToken: string, now: () => number, ttlMs: number) {
    this.signer = new Signer(adminToken);
    this.now = now;
    this.ttlMs = ttlMs;
  }

  /** Starts a session: the cookie is http-only and SameSite=Strict, so no other site can ride on it. */
  start(c: Context): void {
    const now = this.now();
    const claims: SessionClaims = { kind: "session", sid: randomId(), iat: now, exp: now + this.ttlMs };
    setCookie(c, SESSION_COOKIE, this.signer.sign(claims), {
      httpOnly: true,
      sameSite: "Strict",
      secure: isHttps(c),
      path: "/",
      maxAge: Math.floor(this.ttlMs / 1000),
    });
    deleteCookie(c, SIGN_IN_COOKIE, { path: "/" });
  }

  end(c: Context, session: SessionClaims): void {
    this.spent.spend(session.sid, session.exp, this.now());
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isHttps(c) });
  }

  /** The valid session a request carries; a cookie that is present but no longer valid reads as expired. */
  read(c: Context): SessionClaims | Refusal {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie) return "signed-out";
    const now = this.now();
    const claims = this.signer.verify(cookie, now);
    if (claims === null || claims.kind !== "session" || this.spent.has(claims.sid, now)) return "expired";
    return claims;
  }

  /** Pages need a session: a page view goes to sign-in, an action is refused outright. */
  require(): MiddlewareHandler<DashboardEnv> {
    return async (c, next) => {
      const session = this.read(c);
      if (typeof session === "string") {
        if (c.req.method === "GET" || c.req.method === "HEAD") {
          const params = new URLSearchParams({ next: c.req.path });
          if (session === "expired") params.set("expired", "1");
          return c.redirect(`/sign-in?${params}`, 303);
        }
        throw new Refused(session);
      }
      c.set("session", session);
      c.set("csrf", this.signer.csrfToken(session.sid));
      return next();
    };
  }

  /**
   * Every state-changing request carries the session's synchroniser token in its form, and, when the
   * browser says where it came from, comes from this origin. SameSite=Strict already keeps the cookie off
   * cross-site requests; this is the second lock.
   */
  csrf(): MiddlewareHandler<DashboardEnv> {
    return async (c, next) => {
      assertSameOrigin(c);
      const form = await c.req.parseBody();
      const given = typeof form["_csrf"] === "string" ? form["_csrf"] : "";
      if (!sameSecret(given, c.var.csrf)) throw new Refused("csrf");
      return next();
    };
  }
}

export function assertSameOrigin(c: Context): void {
  const origin = c.req.header("origin");
  if (origin === undefined) return;
  const host = c.req.header("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new Refused("origin");
  }
  if (host === undefined || originHost !== host) throw new Refused("origin");
}

/** Behind a TLS-terminating proxy the request arrives as http; x-forwarded-proto says what the browser used. */
function isHttps(c: Context): boolean {
  const forwarded = c.req.header("x-forwarded-proto");
  if (forwarded) return forwarded.split(",")[0]!.trim() === "https";
  return new URL(c.req.url).protocol === "https:";
}

/**
 * Where to go after signing in: a place on this origin, never another site. The target is parsed the way
 * a browser will parse the Location header (the WHATWG URL parser: it drops tabs and line breaks, reads
 * `\` as `/`, resolves dot segments), against this origin; only a same-origin result is kept, and what is
 * sent is that parsed URL's path, query and fragment, never the raw input. A path that still begins with
 * `//` after resolving (`/a/..//evil`) would be read as another host, so it falls back too.
 */
export function safeNext(next: string | undefined, origin: string): string {
  if (!next) return "/";
  let target: URL;
  try {
    target = new URL(next, `${origin}/`);
  } catch {
    return "/";
  }
  if (origin === "null" || target.origin !== origin || target.pathname.startsWith("//")) return "/";
  return `${target.pathname}${target.search}${target.hash}`;
}
