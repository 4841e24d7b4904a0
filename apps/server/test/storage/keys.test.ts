import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findActiveClientKeyByHash, insertClientKey, listClientKeys, migrate, openDatabase, revokeClientKeys, updateClientKeyLimits, type Database, type Db } from "@proofgate/db";
import { createTestDatabase, startTcpProxy, type TestDatabase } from "@proofgate/db/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKey, hashKey } from "../../src/keys/key-material.ts";
import { createKeyVerifier, DEV_KEY_ID } from "../../src/keys/verifier.ts";
import { waitFor } from "./capture-fixtures.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: mkdtempSync(join(tmpdir(), "pg-keys-")) });
  await migrate(database.db);
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

async function createKey(name: string) {
  const k = generateKey();
  const row = await insertClientKey(database.db, { id: randomUUID(), name, keyHash: k.keyHash, prefix: k.prefix });
  return { ...k, id: row.id };
}

const noLimits = { rpm: null, tpm: null, dailyUsd: null, monthlyUsd: null };

function counting() {
  let calls = 0;
  const lookup = (db: Db, hash: string) => {
    calls += 1;
    return findActiveClientKeyByHash(db, hash);
  };
  return { lookup, calls: () => calls };
}

describe("client keys", () => {
  it("stores only a hash and a short prefix", async () => {
    const k = await createKey("billing-service");
    expect(k.key).toMatch(/^pgk_[A-Za-z0-9_-]{43}$/);
    expect(k.keyHash).toBe(hashKey(k.key));
    const listed = (await listClientKeys(database.db)).find((r) => r.id === k.id);
    expect(listed?.prefix).toBe(k.key.slice(0, 12));
    expect(JSON.stringify(listed)).not.toContain(k.key);
    expect(JSON.stringify(listed)).not.toContain(k.keyHash);
  });

  it("verifies known keys, refuses unknown and revoked ones, and caches both answers", async () => {
    const k = await createKey("svc-a");
    let clock = 1_000;
    const count = counting();
    const verifier = createKeyVerifier({ db: database.db, ttlMs: 30_000, negativeTtlMs: 5_000, now: () => clock, lookup: count.lookup });
    expect(await verifier.verify(k.key)).toEqual({ id: k.id, name: "svc-a", limits: noLimits });
    for (let i = 0; i < 100; i++) await verifier.verify(k.key);
    expect(count.calls()).toBe(1);
    expect(await verifier.verify("pgk_not-a-real-key")).toBeNull();
    expect(await verifier.verify("pgk_not-a-real-key")).toBeNull();
    expect(count.calls()).toBe(2);
    // Concurrent first lookups of one key share a single query.
    const other = await createKey("svc-b");
    const answers = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(other.key)));
    expect(answers.every((a) => a?.id === other.id)).toBe(true);
    expect(count.calls()).toBe(3);
    // A revocation bites once the cached answer expires.
    expect(await revokeClientKeys(database.db, "svc-a")).toHaveLength(1);
    expect(await verifier.verify(k.key)).not.toBeNull();
    clock += 30_001;
    expect(await verifier.verify(k.key)).toBeNull();
    expect(await verifier.verify("")).toBeNull();
  });

  it("returns a key's limits with its identity, cached alike: an update bites once the cached answer expires", async () => {
    const k = await createKey("svc-limits");
    await updateClientKeyLimits(database.db, k.id, { rpm: 10, dailyUsd: 2.5 });
    let clock = 0;
    const verifier = createKeyVerifier({ db: database.db, ttlMs: 30_000, now: () => clock });
    expect((await verifier.verify(k.key))?.limits).toEqual({ rpm: 10, tpm: null, dailyUsd: 2.5, monthlyUsd: null });
    await updateClientKeyLimits(database.db, k.id, { rpm: null, tpm: 500 });
    expect((await verifier.verify(k.key))?.limits?.rpm).toBe(10);
    clock += 30_001;
    expect((await verifier.verify(k.key))?.limits).toEqual({ rpm: null, tpm: 500, dailyUsd: 2.5, monthlyUsd: null });
  });

  it("accepts the dev key without a database row", async () => {
    const count = counting();
    const verifier = createKeyVerifier({ db: database.db, devKey: "dev-key-123456", lookup: count.lookup });
    expect(await verifier.verify("dev-key-123456")).toEqual({ id: DEV_KEY_ID, name: "dev" });
    expect(await verifier.verify("dev-key-1234567")).toBeNull();
    expect(count.calls()).toBe(1);
  });

  it("keeps verified keys working while Postgres is unreachable", async () => {
    const u = new URL(testDb.url);
    const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    const via = await openDatabase({ databaseUrl: proxy.url(testDb.url), dataDir: mkdtempSync(join(tmpdir(), "pg-keys-")), max: 2 });
    try {
      const k = await createKey("svc-outage");
      let clock = 0;
      const verifier = createKeyVerifier({ db: via.db, ttlMs: 1_000, now: () => clock });
      expect(await verifier.verify(k.key)).not.toBeNull();
      proxy.cut();
      clock += 5_000;
      expect(await verifier.verify(k.key)).toEqual({ id: k.id, name: "svc-outage", limits: noLimits });
      await expect(verifier.verify(generateKey().key)).rejects.toThrow();
      proxy.restore();
    } finally {
      await via.close();
      await proxy.close();
    }
  });
});

describe("client keys while the database does not answer", () => {
  it("unknown keys fail fast with 57014 and known keys keep working, after a flood of unknown keys", async () => {
    const u = new URL(testDb.url);
    const relay = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    const via = await openDatabase({ databaseUrl: relay.url(testDb.url), dataDir: mkdtempSync(join(tmpdir(), "pg-keys-")), max: 4 });
    try {
      const k = generateKey();
      const row = await insertClientKey(database.db, { id: randomUUID(), name: "svc-flood", keyHash: k.keyHash, prefix: k.prefix });
      let clock = 0;
      const verifier = createKeyVerifier({ db: via.db, ttlMs: 1_000, lookupTimeoutMs: 1_000, now: () => clock });
      expect(await verifier.verify(k.key)).toEqual({ id: row.id, name: "svc-flood", limits: noLimits });
      // 12,000 random keys with no credentials behind them, more than either cache holds.
      const flood = Array.from({ length: 12_000 }, () => generateKey().key);
      for (let i = 0; i < flood.length; i += 200) {
        const answers = await Promise.all(flood.slice(i, i + 200).map((key) => verifier.verify(key)));
        expect(answers.every((a) => a === null)).toBe(true);
      }
      clock += 5_000; // the known key's verification is stale now: the next check asks the database
      // A blip: the database is unreachable, and the flood must not have pushed the known key out.
      relay.cut();
      expect(await verifier.verify(k.key)).toEqual({ id: row.id, name: "svc-flood", limits: noLimits });
      relay.restore();
      // Until every pooled connection has made a round trip again, one may still be dead from the cut.
      const roundTrips = () => Promise.all(Array.from({ length: 8 }, () => verifier.verify(generateKey().key))).then(() => true, () => false);
      await waitFor(roundTrips, 10_000, "the pool to reconnect after the cut");
      // A database that does not answer at all: the check answers within its own limit, both ways.
      relay.stall();
      const started = Date.now();
      expect(await verifier.verify(k.key)).toEqual({ id: row.id, name: "svc-flood", limits: noLimits });
      const error = await verifier.verify(generateKey().key).catch((e: unknown) => e);
      expect((error as { cause?: unknown }).cause).toMatchObject({ code: "57014" });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      relay.restore();
      await via.close();
      await relay.close();
    }
  });
});
