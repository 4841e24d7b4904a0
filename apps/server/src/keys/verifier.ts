import { timingSafeEqual } from "node:crypto";
import { findActiveClientKeyByHash, withTimeLimit, type Db } from "@proofgate/db";
import type { Logger } from "pino";
import type { KeyIdentity, KeyVerifier } from "../deps.ts";
import { hashKey } from "./key-material.ts";

type Identity = KeyIdentity;
type Row = Awaited<ReturnType<typeof findActiveClientKeyByHash>>;

interface Entry {
  value: Identity | null;
  expires: number;
}

export interface KeyVerifierOptions {
  db: Db;
  logger?: Logger;
  /** PROOFGATE_DEV_KEY: accepted without a database row. */
  devKey?: string | undefined;
  /** How long a known key is trusted without asking Postgres again; bounds how late a revocation or a limit change bites. */
  ttlMs?: number;
  /** How long an unknown key is remembered as unknown (a misconfigured client retrying in a loop). */
  negativeTtlMs?: number;
  /** Bound of each cache: verified keys and unknown keys are kept apart, so unknown ones never evict known ones. */
  maxEntries?: number;
  /** How long a key check waits for the database before answering 503 (the request should not hang). */
  lookupTimeoutMs?: number;
  now?: () => number;
  /** The database lookup; replaceable so tests can count how often the request path reaches Postgres. */
  lookup?: (db: Db, keyHash: string) => Promise<Row>;
}

/** A row as the request path uses it: limits travel with the identity, so they are cached (and updated) alike. */
function identityOf(row: NonNullable<Row>): Identity {
  return { id: row.id, name: row.name, limits: { rpm: row.rpm, tpm: row.tpm, dailyUsd: row.dailyUsd, monthlyUsd: row.monthlyUsd } };
}

/** The dev key's identity in captures. */
export const DEV_KEY_ID = "dev";

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A map bounded to `max` entries, least recently refreshed first out (Map keeps insertion order). */
function bounded<V>(max: number) {
  const map = new Map<string, V>();
  return {
    get: (key: string) => map.get(key),
    delete: (key: string) => map.delete(key),
    set(key: string, value: V) {
      map.delete(key);
      map.set(key, value);
      while (map.size > max) {
        const oldest = map.keys().next().value;
        if (oldest === undefined) break;
        map.delete(oldest);
      }
    },
    clear: () => map.clear(),
    get size() {
      return map.size;
    },
  };
}

/**
 * Verifies client keys against hashed rows, with an in-memory cache so the request path rarely touches
 * Postgres: hits, misses (negative caching) and concurrent lookups of one key (a single query) are all
 * served from memory. If Postgres is unreachable or slow, a key verified before keeps working (stale
 * entry) so an outage does not fail traffic; a key never seen before is refused with the error (503).
 * Verified and unknown keys live in separate caches: anyone can send unknown keys, and a flood of them
 * must not push a real key out just before a database blip.
 */
export function createKeyVerifier(options: KeyVerifierOptions): KeyVerifier & { clear(): void; size(): number } {
  const ttl = options.ttlMs ?? 30_000;
  const negativeTtl = options.negativeTtlMs ?? 5_000;
  const max = options.maxEntries ?? 10_000;
  const lookupTimeout = options.lookupTimeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  const known = bounded<Entry & { value: Identity }>(max);
  const unknown = bounded<Entry>(max);
  const inflight = new Map<string, Promise<Identity | null>>();

  function remember(hash: string, value: Identity | null): void {
    if (value) {
      unknown.delete(hash);
      known.set(hash, { value, expires: now() + ttl });
    } else {
      known.delete(hash);
      unknown.set(hash, { value, expires: now() + negativeTtl });
    }
  }

  async function lookup(hash: string): Promise<Identity | null> {
    try {
      const find = options.lookup ?? findActiveClientKeyByHash;
      const row = await withTimeLimit(lookupTimeout, () => find(options.db, hash));
      const value = row ? identityOf(row) : null;
      remember(hash, value);
      return value;
    } catch (error) {
      const stale = known.get(hash);
      if (stale) {
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
      const hit = known.get(hash) ?? unknown.get(hash);
      if (hit && hit.expires > now()) return hit.value;
      const pending = inflight.get(hash);
      if (pending) return pending;
      const promise = lookup(hash);
      inflight.set(hash, promise);
      return promise;
    },
    clear: () => {
      known.clear();
      unknown.clear();
    },
    size: () => known.size + unknown.size,
  };
}
