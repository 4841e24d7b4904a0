import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { KeyVerifier } from "../deps.ts";
import type { AppEnv } from "./env.ts";
import { header } from "./headers.ts";
import { HttpError } from "./errors.ts";

/** Constant-time comparison, so a key cannot be guessed byte by byte from response times. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key a client sent: `Authorization: Bearer <key>` (OpenAI SDKs) or `x-api-key` (Anthropic SDKs). */
export function clientKey(authorization: string | undefined, apiKey: string | undefined): string | null {
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1]!;
  }
  return apiKey !== undefined && apiKey.length > 0 ? apiKey : null;
}

/** Proxy routes accept a proofgate client key only; provider keys live on the server. */
export function clientAuth(keys: KeyVerifier, devKey: string | undefined): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = clientKey(header(c, "authorization"), header(c, "x-api-key"));
    if (key === null) {
      throw new HttpError(
        "unauthorized",
        "Missing API key: send a proofgate key as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.",
        { code: "missing_api_key" },
      );
    }
    if (devKey !== undefined && sameSecret(key, devKey)) return next();
    let found: Awaited<ReturnType<KeyVerifier["verify"]>>;
    try {
      found = await keys.verify(key);
    } catch {
      // The key store is unreachable and this key is not cached: a retry may well succeed.
      throw new HttpError("unavailable", "proofgate could not check the API key just now; retry shortly.", {
        code: "key_check_unavailable",
        retry: true,
      });
    }
    if (!found) {
      throw new HttpError("unauthorized", "Invalid API key: this is not a proofgate key, or it was revoked.", {
        code: "invalid_api_key",
      });
    }
    c.set("clientKeyId", found.id);
    c.set("clientKeyLimits", found.limits);
    return next();
  };
}

/** The admin API answers only to PROOFGATE_ADMIN_TOKEN, and says so when none is configured. */
export function adminAuth(token: string | undefined): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (token === undefined) {
      throw new HttpError("unavailable", "The admin API is disabled: set PROOFGATE_ADMIN_TOKEN to enable it.", {
        code: "admin_disabled",
        retry: false,
      });
    }
    const given = clientKey(header(c, "authorization"), undefined);
    if (given === null || !sameSecret(given, token)) {
      throw new HttpError("unauthorized", "The admin API needs 'Authorization: Bearer <PROOFGATE_ADMIN_TOKEN>'.", {
        code: "invalid_admin_token",
      });
    }
    return next();
  };
}
