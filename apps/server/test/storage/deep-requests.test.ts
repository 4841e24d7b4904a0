import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@proofgate/config";
import { capturedUpstreamRequestIds, migrate, openDatabase } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startServer } from "../../src/main.ts";
import { metricValue, quietLogger, waitFor } from "./capture-fixtures.ts";
import { chatRequest, startChatUpstream } from "./upstream-stub.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const DEV_KEY = "deep-dev-key-0123";
const TOKEN = "deep-admin-token-0123456789";
const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

let testDb: TestDatabase;
let upstream: Awaited<ReturnType<typeof startChatUpstream>>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const setup = await openDatabase({ databaseUrl: testDb.url, dataDir: mkdtempSync(join(tmpdir(), "pg-deep-")) });
  await migrate(setup.db);
  await setup.close();
  upstream = await startChatUpstream(1);
});
afterAll(async () => {
  await upstream?.close();
  await testDb?.drop();
});

describe.each(["postgres", "pglite"] as const)("deeply nested requests on %s", (kind) => {
  it("get 400 json_too_deep, and ordinary captures, the admin API and shutdown carry on", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pg-deep-"));
    const config = loadConfig({
      PORT: "0",
      ...(kind === "postgres" ? { DATABASE_URL: testDb.url } : {}),
      PROOFGATE_DATA_DIR: dir,
      PROOFGATE_DEV_KEY: DEV_KEY,
      PROOFGATE_ADMIN_TOKEN: TOKEN,
      OPENAI_UPSTREAM_URL: `${upstream.url}/v1`,
      OPENAI_API_KEY: "sk-upstream-test",
    });
    const server = await startServer({ config, logger: quietLogger(), calibration: false });
    const base = `http://127.0.0.1:${server.port}`;
    const send = (body: string) =>
      fetch(`${base}/v1/chat/completions`, { method: "POST", headers: { authorization: `Bearer ${DEV_KEY}`, "content-type": "application/json" }, body });
    const servedBefore = upstream.served.length;
    try {
      for (const depth of [10_000, 100_000]) {
        // In a field proofgate does not read: only the nesting is wrong.
        const res = await send(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"metadata":${nested(depth)}}`);
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string; type: string } };
        expect(body.error).toMatchObject({ code: "json_too_deep", type: "invalid_request_error" });
        expect(body.error.message).toContain("128");
      }
      expect(upstream.served.length).toBe(servedBefore); // refused before any upstream call
      for (let i = 0; i < 10; i++) expect((await send(JSON.stringify(chatRequest(i)))).status).toBe(200);
      const served = upstream.served.slice(servedBefore);
      await waitFor(async () => (await metricValue(server.metrics, "proofgate_captures_written_total")) >= 10, 15_000, "ordinary captures");
      expect((await capturedUpstreamRequestIds(server.database.db, served)).size).toBe(10);
      const started = Date.now();
      const prompts = await fetch(`${base}/api/prompts`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(prompts.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      const started = Date.now();
      await server.close("test");
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });
});
