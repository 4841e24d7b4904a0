import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@proofgate/config";
import { migrate, openDatabase, type Database } from "@proofgate/db";
import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/app.ts";
import { CaptureWriter } from "../../src/capture/writer.ts";
import { createKeyVerifier } from "../../src/keys/verifier.ts";
import { makeCapture, newRegistry, quietLogger } from "./capture-fixtures.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const TOKEN = "admin-token-0123456789";
let testDb: TestDatabase;
let database: Database;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  testDb = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "pg-admin-"));
  database = await openDatabase({ databaseUrl: testDb.url, dataDir });
  await migrate(database.db);
  const logger = quietLogger();
  const metrics = newRegistry();
  const writer = new CaptureWriter({ db: database.db, logger, metrics, dataDir });
  const t0 = Date.parse("2026-11-02T10:00:00Z");
  for (let i = 0; i < 30; i++) {
    writer.push(makeCapture({ promptId: "pn_triage", promptName: "triage", createdAt: new Date(t0 + i * 60_000), costUsd: 0.01, status: i === 29 ? 500 : 200 }));
  }
  for (let i = 0; i < 5; i++) writer.push(makeCapture({ promptId: "pf_other", createdAt: new Date(t0 + 3_600_000 + i), costUsd: 0.002 }));
  await writer.close();
  const config = loadConfig({ PROOFGATE_ADMIN_TOKEN: TOKEN, PORT: "0" });
  app = createApp({ config, logger, metrics, captures: writer, keys: createKeyVerifier({ db: database.db }), db: database.db });
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

const auth = { authorization: `Bearer ${TOKEN}` };

describe("admin API: prompts", () => {
  it("refuses requests without the admin token", async () => {
    expect((await app.request("/api/prompts")).status).toBe(401);
    expect((await app.request("/api/prompts", { headers: { authorization: "Bearer wrong-token-000000000" } })).status).toBe(401);
  });

  it("lists prompts with traffic, cost and first/last seen, most recent first", async () => {
    const res = await app.request("/api/prompts", { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { prompts: Array<Record<string, any>>; total: number };
    expect(body.total).toBe(2);
    expect(body.prompts.map((p) => p.id)).toEqual(["pf_other", "pn_triage"]);
    const triage = body.prompts[1]!;
    expect(triage).toMatchObject({
      name: "triage",
      source: "header",
      traffic: { captures: 30, errors: 1 },
      firstSeenAt: "2026-11-02T10:00:00.000Z",
      lastSeenAt: "2026-11-02T10:29:00.000Z",
    });
    expect(triage.costUsd).toBeCloseTo(0.3, 9);
    expect(triage.template).toBeUndefined();
    const page = (await (await app.request("/api/prompts?limit=1&offset=1", { headers: auth })).json()) as { prompts: Array<{ id: string }> };
    expect(page.prompts.map((p) => p.id)).toEqual(["pn_triage"]);
  });

  it("shows one prompt with its template and recent captures", async () => {
    const res = await app.request("/api/prompts/pn_triage?captures=3", { headers: auth });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { prompt: Record<string, unknown>; recentCaptures: Array<Record<string, any>> };
    expect(body.prompt.template).toContain("Ticket: ‹…›");
    expect(body.recentCaptures).toHaveLength(3);
    expect(body.recentCaptures.map((c) => c.createdAt)).toEqual(["2026-11-02T10:29:00.000Z", "2026-11-02T10:28:00.000Z", "2026-11-02T10:27:00.000Z"]);
    expect(body.recentCaptures[0]!.request).toMatchObject({ model: "gpt-4o" });
    const missing = await app.request("/api/prompts/pf_nope", { headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.message).toContain("pf_nope");
  });

  it("renames a prompt without changing its id", async () => {
    const res = await app.request("/api/prompts/pf_other", {
      method: "PATCH",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ name: "  Lead scoring  " }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).prompt).toMatchObject({ id: "pf_other", name: "Lead scoring" });
    const again = (await (await app.request("/api/prompts/pf_other", { headers: auth })).json()) as any;
    expect(again.prompt.name).toBe("Lead scoring");
    expect(again.prompt.renamedAt).not.toBeNull();
  });

  it("answers a bad rename with 400 and what is wrong", async () => {
    const patch = (body: string) =>
      app.request("/api/prompts/pf_other", { method: "PATCH", headers: { ...auth, "content-type": "application/json" }, body });
    const notJson = await patch("{name:");
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).error.message).toMatch(/JSON/);
    const empty = await patch(JSON.stringify({ name: " " }));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as any).error.message).toMatch(/name/);
    expect((await patch(JSON.stringify({ title: "x" }))).status).toBe(400);
    expect((await app.request("/api/prompts?limit=0", { headers: auth })).status).toBe(400);
  });
});
