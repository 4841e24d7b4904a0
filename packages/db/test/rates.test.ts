import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { observedRates } from "@proofgate/parity";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { migrate, openDatabase, prompts, searchPrompts, type Database } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let testDb: TestDatabase;
let database: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await openDatabase({ databaseUrl: testDb.url, dataDir: mkdtempSync(join(tmpdir(), "pg-rates-")) });
  await migrate(database.db, { monthsAhead: 1 });
});
afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

const MINUTE = 60_000;
const DAY = 86_400_000;

describe("prompt rates in SQL", () => {
  it("equal parity's observedRates over five minutes, one day and ten days", async () => {
    const first = new Date("2025-03-01T08:00:00Z");
    const spans = { "five-minutes": 5 * MINUTE, "one-day": DAY, "ten-days": 10 * DAY + 7 * MINUTE };
    const rows = Object.entries(spans).map(([id, span], i) => ({
      id,
      source: "header" as const,
      fingerprint: `f-${id}`,
      template: "t",
      endpoint: "/v1/chat/completions",
      model: "gpt-4o",
      captureCount: 137 + i * 1000,
      costUsd: 1.234567 * (i + 1),
      firstSeenAt: first,
      lastSeenAt: new Date(first.getTime() + span),
    }));
    await database.db.insert(prompts).values(rows);
    const found = new Map((await searchPrompts(database.db)).rows.map((r) => [r.id, r]));
    for (const row of rows) {
      const expected = observedRates(row);
      const got = found.get(row.id);
      expect(got?.perDay, row.id).toBeCloseTo(expected.perDay, 9);
      expect(got?.monthlyCostUsd, row.id).toBeCloseTo(expected.monthlyCostUsd, 9);
    }
    expect(observedRates(rows[0]!).spanDays).toBe(1);
  });
});
