import { createHash, randomBytes } from "node:crypto";

/** Recognisable in logs and secret scanners; the rest is 256 random bits. */
export const KEY_PREFIX = "pgk_";

/**
 * sha-256, not a slow password hash: a key carries 256 random bits, so no amount of hashing speed makes
 * guessing feasible (slow hashes protect low-entropy passwords); lookup needs a deterministic, unsalted
 * digest to find the row by index; and an uncached request must not spend milliseconds of CPU on it.
 */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export interface NewKey {
  key: string;
  keyHash: string;
  /** Shown in listings so keys can be told apart; 8 random characters say nothing useful about the rest. */
  prefix: string;
}

export function generateKey(): NewKey {
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, keyHash: hashKey(key), prefix: key.slice(0, KEY_PREFIX.length + 8) };
}
