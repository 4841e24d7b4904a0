import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@proofgate/config";
import { insertCaptureBatch, insertClientKey, migrate, openDatabase, type Database } from "@proofgate/db";
import { captureRecord, createTestDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from "@proofgate/db/testing";
import { deleteKeys, TEST_REDIS_URL, uniquePrefix, waitFor } from "@proofgate/queue/testing";
import OpenAI from "openai";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKey } from "../../src/keys/key-material.ts";
import { startServer, type RunningServer } from "../../src/main.ts";
import { startUpstream, type LocalUpstream } from "../proxy/upstream.ts";

/** Real Postgres and Redis: counters shared by two proxies, spend seeded from captures, a Redis outage. */
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const adminToken = "admin-token-for-limit-tests";
const prefix = uniquePrefix("limits");
let testDb: TestDatabase;
let direct: Database;
let upstream: LocalUpstream;
const servers: RunningServer[] = [];

async function start(redisUrl: string, logs: string[] = []): Promise<RunningServer> {
  const config = loadConfig({
    PORT: "0",
    DATABASE_URL: testDb.url,
    REDIS_URL: redisUrl,
    PROOFGATE_DATA_DIR: mkdtempSync(join(tmpdir(), "pg-limits-")),
    PROOFGATE_ADMIN_TOKEN: adminToken,
    OPENAI_UPSTREAM_URL: `${upstream.url}/openai/v1`,
    OPENAI_API_KEY: "sk-upstream-test",
  });
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
  const server = await startServer({ config, logger, calibration: false, limitsPrefix: prefix });
  servers.push(server);
  return server;
}

async function newKey(limits: { rpm?: number; monthlyUsd?: number }) {
  const k = generateKey();
  const row = await insertClientKey(direct.db, {
    id: randomUUID(),
    name: `key-${randomUUID().slice(0, 6)}`,
    keyHash: k.keyHash,
    prefix: k.prefix,
    ...limits,
  });
  return { id: row.id, key: k.key };
}

function chat(server: RunningServer, apiKey: string) {
  return new OpenAI({ baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey, maxRetries: 0 }).chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "hi" }],
  });
}

const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { status?: number }) => e.status ?? 0,
  );

function admin(server: RunningServer, method: string, path: string, body?: unknown) {
  return fetch(`http://127.0.0.1:${server.port}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  direct = await openDatabase({ databaseUrl: testDb.url, dataDir: mkdtempSync(join(tmpdir(), "pg-limits-")) });
  await migrate(direct.db);
  upstream = await startUpstream();
});
afterAll(async () => {
  for (const s of servers) await s.close("test end");
  await upstream?.close();
  await direct?.close();
  await testDb?.drop();
  await deleteKeys(prefix);
});

describe("key limits shared through Redis", () => {
  it("two proxies share one key's counters, and the admin API creates, lists with use, updates and revokes", async () => {
    const [a, b] = [await start(TEST_REDIS_URL), await start(TEST_REDIS_URL)];
    const bad = await admin(a, "POST", "/keys", { name: "x", rpm: -1 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { param: "rpm", code: "invalid_body" } });
    const created = await admin(a, "POST", "/keys", { name: "shared", rpm: 4, dailyUsd: 10 });
    expect(created.status).toBe(201);
    const { key, secret } = (await created.json()) as { key: { id: string; limits: unknown }; secret: string };
    expect(secret).toMatch(/^pgk_/);
    expect(key.limits).toEqual({ rpm: 4, tpm: null, dailyUsd: 10, monthlyUsd: null });

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await statusOf(chat(i % 2 === 0 ? a : b, secret)));
    expect(statuses).toEqual([200, 200, 200, 200, 429]);

    // Use as either proxy reads it from Redis: five requests, the four answered ones' tokens and cost.
    await waitFor(
      async () => {
        const listed = (await (await admin(b, "GET", "/keys")).json()) as { keys: Array<{ id: string; use: { tokensThisMinute: number } }> };
        return listed.keys.find((k) => k.id === key.id)?.use.tokensThisMinute === 4 * 19;
      },
      10_000,
      "tokens counted",
    );
    const listed = (await (await admin(a, "GET", "/keys")).json()) as { keys: Array<{ id: string; secret?: string; use: Record<string, number> }> };
    const row = listed.keys.find((k) => k.id === key.id)!;
    expect(row.use.requestsThisMinute).toBe(5);
    expect(row.use.spentTodayUsd).toBeGreaterThan(0);
    expect(row.use.spentThisMonthUsd).toBe(row.use.spentTodayUsd);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const patched = await admin(a, "PATCH", `/keys/${key.id}`, { rpm: null, tpm: 5000 });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { key: { limits: unknown } }).key.limits).toEqual({ rpm: null, tpm: 5000, dailyUsd: 10, monthlyUsd: null });
    expect((await admin(a, "DELETE", `/keys/${key.id}`)).status).toBe(200);
    const gone = await admin(a, "PATCH", `/keys/${key.id}`, { rpm: 1 });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: { code: "key_not_found" } });
  });

  it("seeds spend from this month's captures at start: a key already past its budget is refused at once", async () => {
    const { id, key } = await newKey({ monthlyUsd: 1 });
    await insertCaptureBatch(direct.db, [captureRecord({ clientKeyId: id, costUsd: 0.75 }), captureRecord({ clientKeyId: id, costUsd: 0.5 })]);
    const server = await start(TEST_REDIS_URL);
    const error = (await chat(server, key).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers.get("x-should-retry")).toBe("false");
    const listed = (await (await admin(server, "GET", "/keys")).json()) as { keys: Array<{ id: string; use: Record<string, number> }> };
    expect(listed.keys.find((k) => k.id === id)?.use.spentThisMonthUsd).toBeCloseTo(1.25, 9);
  });
});

describe("Redis outage while limits are on", () => {
  let relay: TcpProxy;
  afterAll(async () => {
    await relay?.close();
  });

  it("lets requests through with one warning, and limits again once Redis is back", async () => {
    const u = new URL(TEST_REDIS_URL);
    relay = await startTcpProxy({ host: u.hostname, port: Number(u.port || 6379) });
    const logs: string[] = [];
    const server = await start(relay.url(TEST_REDIS_URL), logs);
    const { key } = await newKey({ rpm: 2 });
    expect(await statusOf(chat(server, key))).toBe(200);
    expect(await statusOf(chat(server, key))).toBe(200);
    expect(await statusOf(chat(server, key))).toBe(429);
    relay.cut();
    const during: number[] = [];
    for (let i = 0; i < 6; i++) during.push(await statusOf(chat(server, key)));
    expect(during).toEqual([200, 200, 200, 200, 200, 200]);
    const warnings = logs.map((l) => JSON.parse(l)).filter((l) => l.level === 40 && /key limit counters unreachable/.test(l.msg));
    expect(warnings).toHaveLength(1);
    relay.restore();
    // ioredis reconnects by itself; the same minute's counter is still in Redis, so the key is over again.
    await waitFor(async () => (await statusOf(chat(server, key))) === 429, 15_000, "limits applied again");
  });
});
