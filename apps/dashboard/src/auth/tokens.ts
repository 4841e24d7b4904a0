import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Signed, self-contained tokens: the session cookie and the one-time sign-in link. They are signed with a
 * key derived from PROOFGATE_ADMIN_TOKEN, so every server process behind a load balancer accepts the same
 * session without shared storage, and rotating the admin token ends every session at once.
 */

export interface SessionClaims {
  kind: "session";
  /** Random session id: the CSRF token is derived from it, and sign-out revokes it. */
  sid: string;
  /** Issued and expiry times, in epoch milliseconds. */
  iat: number;
  exp: number;
}

export interface LinkClaims {
  kind: "link";
  /** Random; a link is accepted once per nonce. */
  nonce: string;
  exp: number;
}

export type Claims = SessionClaims | LinkClaims;

/** Constant-time string comparison, so a secret cannot be guessed byte by byte from response times. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  // Compare against itself on a length mismatch so the time taken does not depend on where they differ.
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

export function randomId(bytes = 18): string {
  return randomBytes(bytes).toString("base64url");
}

/** Separate keys per purpose: a leaked CSRF token says nothing about the signing key, and vice versa. */
export class Signer {
  readonly #signing: Buffer;
  readonly #csrf: Buffer;

  constructor(adminToken: string) {
    this.#signing = createHmac("sha256", adminToken).update("proofgate dashboard: token signing v1").digest();
    this.#csrf = createHmac("sha256", adminToken).update("proofgate dashboard: csrf v1").digest();
  }

  sign(claims: Claims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
    return `${payload}.${this.#mac(payload)}`;
  }

  /** The claims of a token this signer made, unexpired at `now`; null for anything else. */
  verify(token: string, now: number): Claims | null {
    const dot = token.indexOf(".");
    if (dot <= 0 || dot !== token.lastIndexOf(".")) return null;
    const payload = token.slice(0, dot);
    if (!sameSecret(token.slice(dot + 1), this.#mac(payload))) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      return null;
    }
    if (!isClaims(claims) || claims.exp <= now) return null;
    return claims;
  }

  /** The synchroniser token of a session: bound to it, so a token from another session is worthless. */
  csrfToken(sid: string): string {
    return createHmac("sha256", this.#csrf).update(sid).digest("base64url");
  }

  #mac(payload: string): string {
    return createHmac("sha256", this.#signing).update(payload).digest("base64url");
  }
}

function isClaims(value: unknown): value is Claims {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v["exp"] !== "number") return false;
  if (v["kind"] === "session") return typeof v["sid"] === "string" && typeof v["iat"] === "number";
  if (v["kind"] === "link") return typeof v["nonce"] === "string";
  return false;
}

/**
 * Ids that must no longer be accepted before their own expiry: signed-out sessions and used sign-in links.
 * Kept in memory until the token would have expired anyway, so the set never grows without bound.
 */
export class SpentIds {
  readonly #until = new Map<string, number>();

  spend(id: string, exp: number, now: number): void {
    this.#sweep(now);
    this.#until.set(id, exp);
  }

  has(id: string, now: number): boolean {
    const exp = this.#until.get(id);
    return exp !== undefined && exp > now;
  }

  #sweep(now: number): void {
    for (const [id, exp] of this.#until) if (exp <= now) this.#until.delete(id);
  }
}
