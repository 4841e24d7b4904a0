import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { capturedUpstreamRequestIds, migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { chatRequest, startChatUpstream } from "./upstream-stub.ts";

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const CLI = resolve(import.meta.dirname, "../../src/cli.ts");
const DEV_KEY = "kill-test-dev-key";
let testDb: TestDatabase;
let direct: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  direct = await openDatabase({ databaseUrl: testDb.url, dataDir: mkdtempSync(join(tmpdir(), "pg-kill-")) });
  await migrate(direct.db);
});
afterAll(async () => {
  await direct?.close();
  await testDb?.drop();
});

describe("SIGTERM under load", () => {
  it("finishes in-flight requests and loses no capture", async () => {
    // A slow upstream, so many requests are in flight when the signal lands.
    const upstream = await startChatUpstream(40);
    const child = spawn(process.execPath, [CLI, "start"], {
      env: {
        PATH: process.env.PATH,
        PORT: "0",
        DATABASE_URL: testDb.url,
        PROOFGATE_DATA_DIR: mkdtempSync(join(tmpdir(), "pg-kill-")),
        PROOFGATE_DEV_KEY: DEV_KEY,
        OPENAI_UPSTREAM_URL: `${upstream.url}/v1`,
        OPENAI_API_KEY: "sk-upstream-test",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const logs: string[] = [];
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<number>((resolvePort, reject) => {
      let buf = "";
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          logs.push(line);
          if (line.includes('"proofgate listening"')) resolvePort(JSON.parse(line).port as number);
        }
      });
      child.on("exit", (code) => reject(new Error(`server exited early (${code}): ${stderr}`)));
    });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));

    let i = 0;
    let signalled = false;
    let beforeSignalFailures = 0;
    const okIds: string[] = [];
    const client = async () => {
      for (;;) {
        const sentAfterSignal = signalled;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
            method: "POST",
            headers: { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json" },
            body: JSON.stringify(chatRequest(i++)),
          });
          await res.arrayBuffer();
          if (res.status === 200) okIds.push(res.headers.get("x-request-id") ?? "");
          else if (!sentAfterSignal) beforeSignalFailures += 1;
        } catch {
          // A connection error: refused once the server stopped accepting, or a POST written on a pooled
          // keep-alive connection just as the server closed it, which never reached proofgate. A request that
          // did reach it and was dropped shows below: every upstream call must have been answered.
          return;
        }
        if (sentAfterSignal) return;
      }
    };
    const clients = Array.from({ length: 32 }, client);
    await new Promise((r) => setTimeout(r, 2_000));
    const servedAtSignal = upstream.served.length;
    signalled = true;
    child.kill("SIGTERM");
    const code = await exited;
    await Promise.all(clients);
    await upstream.close();

    const captured = await capturedUpstreamRequestIds(direct.db, upstream.served);
    const inFlight = upstream.served.length - servedAtSignal;
    console.log(`kill test: ${upstream.served.length} upstream calls (${inFlight} completed after SIGTERM), ${captured.size} captured, ${okIds.length} answered`);
    expect(code).toBe(0);
    expect(beforeSignalFailures).toBe(0);
    expect(inFlight).toBeGreaterThan(0);
    expect(captured.size).toBe(upstream.served.length);
    expect(okIds.length).toBe(upstream.served.length);
    expect(okIds.every((id) => captured.has(id))).toBe(true);
    expect(logs.some((l) => l.includes('"shutdown complete"'))).toBe(true);
  });
});
