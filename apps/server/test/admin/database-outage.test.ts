import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@proofgate/config";
import { createSignInLink } from "@proofgate/dashboard";
import { insertCaptureBatch, migrate, openDatabase, type Database } from "@proofgate/db";
import { captureRecord, createTestDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { newRegistry, quietLogger, waitFor } from "../storage/capture-fixtures.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const TOKEN = "admin-token-0123456789";
const auth = { authorization: `Bearer ${TOKEN}` };
let testDb: TestDatabase;
let direct: Database;
let proxy: TcpProxy;
let viaProxy: Database;

/** The app the server builds, on a database reached through a relay the test can cut. */
function appOn(db: Database["db"]) {
  const config = loadConfig({ PROOFGATE_ADMIN_TOKEN: TOKEN, PORT: "0" });
  return createApp({ config, logger: quietLogger(), metrics: newRegistry(), captures: { push() {} }, keys: { verify: async () => null }, db });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  direct = await openDatabase({ databaseUrl: testDb.url, dataDir: mkdtempSync(join(tmpdir(), "pg-admin-outage-")) });
  await migrate(direct.db);
  await insertCaptureBatch(direct.db, [captureRecord({ promptId: "triage", promptName: "triage" })]);
  const u = new URL(testDb.url);
  proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  viaProxy = await openDatabase({ databaseUrl: proxy.url(testDb.url), dataDir: tmpdir(), max: 2 });
});
afterAll(async () => {
  await viaProxy?.close();
  await proxy?.close();
  await direct?.close();
  await testDb?.drop();
});

/** A signed-in dashboard session on this app, from a one-time link. */
async function dashboardCookie(app: ReturnType<typeof createApp>): Promise<string> {
  const res = await app.request(createSignInLink({ adminToken: TOKEN, baseUrl: "http://localhost" }));
  expect(res.status).toBe(303);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("proofgate_session="));
  return cookie!.split(";")[0]!;
}

describe("the admin API and the dashboard while Postgres is down", () => {
  it("answer 503 with retry advice during the outage, and 200 once Postgres is back", async () => {
    const app = appOn(viaProxy.db);
    const cookie = await dashboardCookie(app);
    const reads = ["/api/prompts", "/api/routes", "/api/prompts/triage"];
    const pages = ["/", "/prompts/triage"];
    const approve = () =>
      app.request("/api/prompts/triage/route", { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ model: "gpt-4o-mini" }) });
    for (const path of reads) expect((await app.request(path, { headers: auth })).status, path).toBe(200);
    for (const path of pages) expect((await app.request(path, { headers: { cookie } })).status, path).toBe(200);

    proxy.cut();
    try {
      for (const res of [...(await Promise.all(reads.map((p) => app.request(p, { headers: auth })))), await approve()]) {
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toBe("5");
        expect(res.headers.get("x-should-retry")).toBe("true");
        const body = (await res.json()) as { error: { type: string; code: string; message: string }; request_id: string };
        expect(body.error).toMatchObject({ type: "api_error", code: "database_unavailable" });
        expect(body.error.message).toContain("retry");
        expect(body.request_id).toBe(res.headers.get("x-proofgate-request-id"));
      }
      for (const path of pages) {
        const res = await app.request(path, { headers: { cookie } });
        expect(res.status, path).toBe(503);
        expect(res.headers.get("retry-after")).toBe("5");
        expect(res.headers.get("content-type")).toMatch(/^text\/html/);
        const page = await res.text();
        expect(page).toContain("<h1>Temporarily unavailable</h1>");
        expect(page).toContain("The database is not answering just now");
        expect(page).toMatch(/Request id <code>[0-9a-f-]{36}<\/code>/);
      }
    } finally {
      proxy.restore();
    }

    // postgres.js waits before reconnecting, longer after each failed attempt (up to 20 s), so the
    // first answer after the outage is awaited rather than expected at once.
    const restored = performance.now();
    await waitFor(async () => (await app.request("/api/prompts", { headers: auth })).status === 200, 30_000, "the admin API to answer again");
    console.log(`admin API answering again ${Math.round(performance.now() - restored)} ms after Postgres came back`);
    for (const path of reads) expect((await app.request(path, { headers: auth })).status, path).toBe(200);
    for (const path of pages) expect((await app.request(path, { headers: { cookie } })).status, path).toBe(200);
    // The same POST now gets its ordinary answer: no passing report to approve on.
    expect((await approve()).status).toBe(409);
  });

  it("keeps a fault in the statement a 500: a database without proofgate's tables is no outage", async () => {
    const empty = await createTestDatabase();
    const unmigrated = await openDatabase({ databaseUrl: empty.url, dataDir: tmpdir(), max: 1 });
    try {
      const app = appOn(unmigrated.db);
      const res = await app.request("/api/prompts", { headers: auth });
      expect(res.status).toBe(500);
      expect(res.headers.get("retry-after")).toBeNull();
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("internal_error");
      const page = await app.request("/", { headers: { cookie: await dashboardCookie(app) } });
      expect(page.status).toBe(500);
      expect(page.headers.get("retry-after")).toBeNull();
    } finally {
      await unmigrated.close();
      await empty.drop();
    }
  });
});
