import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  approveRoute,
  getRoute,
  listActiveRoutes,
  listenRouteChanges,
  listRouteEvents,
  migrate,
  openDatabase,
  revertRoute,
  setAutoApprove,
  type Database,
} from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});

const approval = (promptId: string, actor = "admin-api") => ({
  promptId,
  baselineModel: "gpt-4o",
  candidateModel: "gpt-4o-mini",
  calibrationId: "cal_1",
  fingerprint: "f1",
  contract: { mode: "text" },
  setup: { contract: { mode: "text" } },
  calibrated: [{ axis: "semantic", bandLow: 0.9, margin: 0.05 }],
  actor,
  reason: "passing report",
});

// The embedded database runs the same statements, NOTIFY included, so `pnpm start` on PGlite works too.
describe.each(["postgres", "pglite"] as const)("routes on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pg-routes-"));
    database = await openDatabase(kind === "postgres" ? { databaseUrl: testDb.url, dataDir } : { dataDir });
    await migrate(database.db, { monthsAhead: 1 });
  });
  afterAll(async () => {
    await database?.close();
  });

  it("approves, reverts only the approval it names, and logs every change", async () => {
    const db = database.db;
    const first = await approveRoute(db, approval(`p-${kind}`));
    expect(first).toMatchObject({ state: "candidate", version: 1, approvedBy: "admin-api" });
    expect((await listActiveRoutes(db)).map((r) => r.promptId)).toContain(`p-${kind}`);
    expect(await revertRoute(db, { promptId: `p-${kind}`, actor: "drift-watch", reason: "stale alarm", version: 0 })).toBeUndefined();
    const reverted = await revertRoute(db, { promptId: `p-${kind}`, actor: "drift-watch", reason: "drift", version: 1, details: { samples: 12 } });
    expect(reverted).toMatchObject({ state: "baseline", version: 2, revertReason: "drift" });
    expect(await revertRoute(db, { promptId: `p-${kind}`, actor: "cli", reason: "again" })).toBeUndefined();
    const again = await approveRoute(db, approval(`p-${kind}`, "cli"));
    expect(again).toMatchObject({ state: "candidate", version: 3, revertedAt: null });
    await setAutoApprove(db, { promptId: `p-${kind}`, baselineModel: "gpt-4o", autoApprove: true, actor: "admin-api" });
    expect((await getRoute(db, `p-${kind}`))?.autoApprove).toBe(true);
    const events = await listRouteEvents(db, { promptId: `p-${kind}` });
    expect(events.map((e) => `${e.kind}/${e.actor}`)).toEqual(["policy/admin-api", "approve/cli", "revert/drift-watch", "approve/admin-api"]);
    expect(events[2]!.details).toMatchObject({ samples: 12, version: 2 });
  });
});

describe("route change notifications", () => {
  it("reach a listener on another connection after the commit", async () => {
    const database = await openDatabase({ databaseUrl: testDb.url, dataDir: "/nonexistent" });
    const heard: string[] = [];
    const listener = await listenRouteChanges(testDb.url, (id) => heard.push(id));
    try {
      await approveRoute(database.db, approval("p-notify"));
      await revertRoute(database.db, { promptId: "p-notify", actor: "cli", reason: "done" });
      for (let i = 0; i < 40 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
      expect(heard).toEqual(["p-notify", "p-notify"]);
    } finally {
      await listener.close();
      await database.close();
    }
  });
});
