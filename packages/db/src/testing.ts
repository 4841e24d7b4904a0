import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { CaptureRecord } from "./capture-record.ts";

/** The server integration tests use; trust auth on loopback. Override with TEST_DATABASE_URL. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  /** URL of a fresh, empty database of its own. */
  url: string;
  name: string;
  /** Drops the database (terminating any connection left open). */
  drop(): Promise<void>;
}

/**
 * A throwaway database on the real test Postgres, so test files running in parallel never share state.
 * Call drop() in afterAll.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `pg_${randomBytes(6).toString("hex")}`;
  const admin = postgres(TEST_SERVER_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const sql = postgres(TEST_SERVER_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

export interface TcpProxy {
  port: number;
  url(databaseUrl: string): string;
  /** Resets every open connection and refuses new ones, like a Postgres that went away. */
  cut(): void;
  /** Keeps connections open but silently drops what passes, like a server that stopped answering. */
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A loopback TCP relay to put between proofgate and a service, so a test can simulate an outage
 * without touching the shared server.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const { createServer, connect } = await import("node:net");
  const sockets = new Set<import("node:net").Socket>();
  let open = true;
  let stalled = false;
  const server = createServer((client) => {
    if (!open) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const end = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    // Relayed by hand rather than piped, so stall() can swallow traffic without closing anything.
    client.on("data", (d: Buffer) => {
      if (!stalled) upstream.write(d);
    });
    upstream.on("data", (d: Buffer) => {
      if (!stalled) client.write(d);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as import("node:net").AddressInfo).port;
  return {
    port,
    url(databaseUrl: string) {
      const u = new URL(databaseUrl);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    cut() {
      open = false;
      for (const s of sockets) s.resetAndDestroy();
      sockets.clear();
    },
    stall() {
      stalled = true;
    },
    restore() {
      open = true;
      stalled = false;
    },
    close() {
      open = false;
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A complete, successful baseline capture for tests; each test overrides what it is about. */
export function captureRecord(overrides: Partial<CaptureRecord> = {}): CaptureRecord {
  return {
    id: randomUUID(),
    promptId: "pf_test",
    promptName: null,
    fingerprint: "f".repeat(64),
    template: "endpoint: chat.completions\n\n[user]\nTicket: ‹…›",
    endpoint: "chat.completions",
    provider: "openai",
    stream: false,
    requestedModel: "gpt-4o",
    servedModel: "gpt-4o",
    route: "baseline",
    status: 200,
    request: { model: "gpt-4o", messages: [{ role: "user", content: "Ticket: my invoice is wrong" }] },
    response: { choices: [{ message: { role: "assistant", content: "billing" } }] },
    outputText: "billing",
    toolCalls: null,
    error: null,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.001,
    latencyMs: 100,
    ttfbMs: null,
    clientKeyId: null,
    upstreamRequestId: null,
    createdAt: new Date(),
    ...overrides,
  };
}

/**
 * Occupies the database with one statement that runs for `seconds` (pg_sleep): on the embedded PGlite,
 * which runs one statement at a time, everything else waits behind it, like a wedged database.
 */
export async function holdDatabase(db: import("./client.ts").Db, seconds: number): Promise<unknown> {
  // Awaited here so the statement starts now (drizzle's queries start only when awaited).
  return await db.execute(sql`select pg_sleep(${seconds})`);
}
