import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureCapturePartitions, listCapturePartitions, MIGRATIONS_DIR, migrate, openDatabase, rowsOf, type Database } from "../src/index.ts";
import { createTestDatabase, type TestDatabase } from "../src/testing.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

function monthName(offset: number): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return `captures_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

async function count(db: Database["db"], table: string): Promise<number> {
  return Number(rowsOf<{ n: number }>(await db.execute(sql.raw(`select count(*)::int as n from "${table}"`)))[0]?.n);
}

const insertAt = (db: Database["db"], at: Date) =>
  db.execute(sql`insert into captures (id, created_at, prompt_id, fingerprint, endpoint, provider, stream, requested_model, served_model, route, status, latency_ms)
    values (gen_random_uuid(), ${at.toISOString()}::timestamptz, 'pf_x', 'f', 'chat.completions', 'openai', false, 'm', 'm', 'baseline', 200, 1)`);

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});

describe.each(["postgres", "pglite"] as const)("migrations on %s", (kind) => {
  let database: Database;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pg-migrate-"));
    database = await openDatabase(kind === "postgres" ? { databaseUrl: testDb.url, dataDir } : { dataDir });
  });
  afterAll(async () => {
    await database?.close();
  });

  it("applies, re-applies as a no-op, and partitions captures by month ahead", async () => {
    await migrate(database.db);
    await migrate(database.db);
    const parts = await listCapturePartitions(database.db);
    expect(parts).toEqual([monthName(0), monthName(1), monthName(2), monthName(3), "captures_default"]);
    const partitioned = rowsOf<{ k: string }>(await database.db.execute(sql`select relkind::text as k from pg_class where relname = 'captures'`));
    expect(partitioned[0]?.k).toBe("p");
  });

  it("moves rows out of the default partition when their month's partition is created", async () => {
    const far = new Date();
    far.setUTCMonth(far.getUTCMonth() + 5, 15);
    await insertAt(database.db, far);
    await insertAt(database.db, new Date());
    expect(await count(database.db, "captures_default")).toBe(1);
    expect(await ensureCapturePartitions(database.db, 6)).toBe(3);
    expect(await count(database.db, "captures_default")).toBe(0);
    expect(await count(database.db, monthName(5))).toBe(1);
    expect(await count(database.db, "captures")).toBe(2);
  });
});

describe("migrations", () => {
  it("run safely from several processes at once (advisory lock)", async () => {
    const fresh = await createTestDatabase();
    const handles = await Promise.all(
      [1, 2, 3].map(() => openDatabase({ databaseUrl: fresh.url, dataDir: tmpdir(), max: 2 })),
    );
    try {
      await Promise.all(handles.map((h) => migrate(h.db)));
      const applied = rowsOf<{ n: number }>(await handles[0]!.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(applied[0]?.n).toBeGreaterThanOrEqual(2);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await fresh.drop();
    }
  });

  it("are in sync with the drizzle schema (drizzle-kit finds nothing to generate)", () => {
    const out = mkdtempSync(join(tmpdir(), "pg-kit-"));
    cpSync(MIGRATIONS_DIR, out, { recursive: true });
    const pkg = resolve(import.meta.dirname, "..");
    // drizzle-kit wants the output folder relative to its working directory.
    const args = ["generate", "--dialect", "postgresql", "--schema", "./src/schema/index.ts", "--out", relative(pkg, out)];
    const run = spawnSync(join(pkg, "node_modules/.bin/drizzle-kit"), args, { cwd: pkg, encoding: "utf8" });
    expect(`${run.stdout}${run.stderr}`).toContain("No schema changes");
  });
});
