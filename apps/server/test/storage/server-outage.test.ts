import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@proofgate/config";
import { capturedUpstreamRequestIds, insertClientKey, migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKey } from "../../src/keys/key-material.ts";
import { startServer, type RunningServer } from "../../src/main.ts";
import { metricValue, quietLogger, waitFor } from "./capture-fixtures.ts";
import { chatRequest, startChatUpstream } from "./upstream-stub.ts";

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

let testDb: TestDatabase;
let direct: Database;
let proxy: TcpProxy;
let upstream: Awaited<ReturnType<typeof startChatUpstream>>;
let server: RunningServer;
let clientKey: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "pg-outage-"));
  direct = await openDatabase({ databaseUrl: testDb.url, dataDir });
  await migrate(direct.db);
  const k = generateKey();
  await insertClientKey(direct.db, { id: randomUUID(), name: "outage-client", keyHash: k.keyHash, prefix: k.prefix });
  clientKey = k.key;
  const u = new URL(testDb.url);
  proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  upstream = await startChatUpstream(5);
  const configFile = join(dataDir, "proofgate.config.json");
  // A small memory buffer so the outage overflows to the disk spool within the test's traffic.
  writeFileSync(configFile, JSON.stringify({ capture: { batchSize: 50, flushIntervalMs: 50, memoryLimit: 300 } }));
  const config = loadConfig({
    PORT: "0",
    DATABASE_URL: proxy.url(testDb.url),
    PROOFGATE_DATA_DIR: dataDir,
    PROOFGATE_CONFIG: configFile,
    OPENAI_UPSTREAM_URL: `${upstream.url}/v1`,
    OPENAI_API_KEY: "sk-upstream-test",
  });
  server = await startServer({ config, logger: quietLogger() });
});

afterAll(async () => {
  await server?.close("test end");
  await upstream?.close();
  await proxy?.close();
  await direct?.close();
  await testDb?.drop();
});

describe("Postgres outage in the middle of traffic", () => {
  it("fails no request and stores every capture once Postgres is back", async () => {
    const url = `http://127.0.0.1:${server.port}/v1/chat/completions`;
    let i = 0;
    let failures = 0;
    let ok = 0;
    let phase: "before" | "outage" | "after" = "before";
    const perPhase = { before: 0, outage: 0, after: 0 };
    const client = async (until: () => boolean) => {
      while (!until()) {
        const n = i++;
        const res = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${clientKey}`, "content-type": "application/json" },
          body: JSON.stringify(chatRequest(n)),
        });
        await res.arrayBuffer();
        if (res.status === 200) {
          ok += 1;
          perPhase[phase] += 1;
        } else failures += 1;
      }
    };
    const started = Date.now();
    const clients = Array.from({ length: 16 }, () => client(() => Date.now() - started > 6_000));
    await new Promise((r) => setTimeout(r, 1_500));
    phase = "outage";
    proxy.cut();
    await waitFor(async () => (await metricValue(server.metrics, "proofgate_captures_spooled_total")) > 0, 15_000, "captures to spill to the spool");
    await new Promise((r) => setTimeout(r, 500));
    phase = "after";
    proxy.restore();
    await Promise.all(clients);
    await waitFor(() => server.captures.depth === 0 && server.captures.spool.totalBytes === 0, 30_000, "memory and spool to drain");

    console.log(`outage test: ${ok} requests ok (before ${perPhase.before}, during ${perPhase.outage}, after ${perPhase.after}), ${failures} failed`);
    expect(failures).toBe(0);
    expect(perPhase.outage).toBeGreaterThan(300);
    const captured = await capturedUpstreamRequestIds(direct.db, upstream.served);
    expect(upstream.served.length).toBe(ok);
    expect(captured.size).toBe(upstream.served.length);
    expect(await metricValue(server.metrics, "proofgate_captures_dropped_total")).toBe(0);
  });
});
