import { timingSafeEqual } from "node:crypto";
import { findActiveClientKeyByHash, type Db } from "@proofgate/db";
import type { Logger } from "pino";
import type { KeyVerifier } from "../deps.ts";
import { hashKey } from "./key-material.ts";

type Identity = { id: string; name: string };

interface Entry {
  value: Identity | null;
  expires: number;
}

export interface KeyVerifierOptions {
  db: Db;
  logger?: Logger;
  /** PROOFGATE_DEV_KEY: accepted without a database row. */
  devKey?: string | undefined;
  /** How long a known key is trusted without asking Postgres again; bounds how late a revocation bites. */
  ttlMs?: number;
  /** How long an unknown key is remembered as unknown (a misconfigured client retrying in a loop). */
  negativeTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
  /** The database lookup; replaceable so tests can count how often the request path reaches Postgres. */
  lookup?: (db: Db, keyHash: string) => Promise<Identity | null>;
}

/** The dev key's identity in captures. */
export const DEV_KEY_ID = "dev";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies client keys against hashed rows, with an in-memory cache so the request path rarely touches
 * Postgres: hits, misses (negative caching) and concurrent lookups of one key (a single query) are all
 * served from memory. If Postgres is unreachable, a key verified before keeps working (stale entry) so an
 * outage does not fail traffic; a key never seen before is refused with the error.
 */
export function createKeyVerifier(options: KeyVerifierOptions): KeyVerifier & { clear(): void; size(): number } {
  const ttl = options.ttlMs ?? 30_000;
  const negativeTtl = options.negativeTtlMs ?? 5_000;
  const max = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const inflight = new Map<string, Promise<Identity | null>>();

  function remember(hash: string, value: Identity | null): void {
    cache.delete(hash);
    cache.set(hash, { value, expires: now() + (value ? ttl : negativeTtl) });
    // Map keeps insertion order: the first entries are the least recently refreshed.
    while (cache.size > max) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  async function lookup(hash: string): Promise<Identity | null> {
    try {
      const row = await (options.lookup ?? findActiveClientKeyByHash)(options.db, hash);
      const value = row ? { id: row.id, name: row.name } : null;
      remember(hash, value);
      return value;
    } catch (error) {
      const stale = cache.get(hash);
      if (stale?.value) {
        options.logger?.warn({ err: error }, "key lookup failed; trusting the cached verification");
        return stale.value;
      }
      throw error;
    } finally {
      inflight.delete(hash);
    }
  }

  return {
    async verify(key: string): Promise<Identity | null> {
      if (!key) return null;
      if (options.devKey && sameSecret(key, options.devKey)) return { id: DEV_KEY_ID, name: "dev" };
      const hash = hashKey(key);
      const hit = cache.get(hash);
      if (hit && hit.expires > now()) return hit.value;
      const pending = inflight.get(hash);
      if (pending) return pending;
      const promise = lookup(hash);
      inflight.set(hash, promise);
      return promise;
    },
    clear: () => cache.clear(),
    size: () => cache.size,
  };
}
