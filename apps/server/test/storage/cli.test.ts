import { createTestDatabase, type TestDatabase } from "@proofgate/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "../../src/cli/run.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb?.drop();
});

/** The test server trusts loopback, so a password in the URL is accepted and must never be printed. */
function urlWithPassword(): string {
  const u = new URL(testDb.url);
  u.password = "s3cret-pw";
  return u.toString();
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env: { DATABASE_URL: urlWithPassword(), PROOFGATE_DATA_DIR: "/tmp/pg-cli-unused" }, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("proofgate CLI", () => {
  it("migrates, then creates, lists and revokes keys", async () => {
    const migrated = await cli("migrate");
    expect(migrated).toMatchObject({ code: 0 });
    expect(migrated.out).toMatch(/migrations applied \(postgres/);
    expect(migrated.out).not.toContain("s3cret-pw");

    const created = await cli("keys", "create", "--name", "billing-service");
    expect(created.code).toBe(0);
    const key = created.out.trim();
    expect(key).toMatch(/^pgk_[A-Za-z0-9_-]{43}$/);
    expect(created.err).toContain("shown once");

    const listed = await cli("keys", "list");
    expect(listed.code).toBe(0);
    expect(listed.out).toContain("billing-service");
    expect(listed.out).toContain(key.slice(0, 12));
    expect(listed.out).not.toContain(key);
    expect(listed.out).toContain("active");

    expect((await cli("keys", "revoke", key.slice(0, 12))).code).toBe(0);
    expect((await cli("keys", "list")).out).toContain("revoked");
    const again = await cli("keys", "revoke", key.slice(0, 12));
    expect(again.code).toBe(1);
    expect(again.err).toContain("No active key");
  });

  it("creates a key with limits, lists them, and updates or removes them", async () => {
    const created = await cli("keys", "create", "--name", "limited-service", "--rpm", "60", "--daily-usd", "5");
    expect(created.code).toBe(0);
    expect(created.err).toContain("rpm=60 daily-usd=5");
    const prefix = created.out.trim().slice(0, 12);
    const row = () => cli("keys", "list").then((l) => l.out.split("\n").find((line) => line.includes(prefix)) ?? "");
    expect(await row()).toContain("rpm=60 daily-usd=5");
    const updated = await cli("keys", "update", prefix, "--rpm", "none", "--tpm", "1000", "--monthly-usd", "99.5");
    expect(updated.code).toBe(0);
    expect(await row()).toContain("tpm=1000 daily-usd=5 monthly-usd=99.5");
    expect(await row()).not.toContain("rpm=60");
    const bad = [
      await cli("keys", "update", prefix, "--rpm", "1.5"),
      await cli("keys", "create", "--name", "x", "--daily-usd", "none"),
      await cli("keys", "update", prefix),
    ];
    expect(bad.map((b) => b.code)).toEqual([2, 2, 2]);
    expect(bad[0]!.err).toContain("--rpm must be a whole number");
    expect((await cli("keys", "update", "no-such-key", "--rpm", "5")).code).toBe(1);
  });

  it("answers mistakes with a message and exit code 2, never a stack", async () => {
    const cases = [
      await cli("keys", "create"),
      await cli("keys", "create", "--nme", "x"),
      await cli("keys", "rotate"),
      await cli("frobnicate"),
      await runCli(["migrate"], { env: { PORT: "eighty" }, out: () => {}, err: () => {} }).then((code) => ({ code, out: "", err: "" })),
    ];
    for (const c of cases) {
      expect(c.code).toBe(2);
      expect(c.err).not.toMatch(/\n\s+at /);
    }
    expect(cases[0]!.err).toContain("--name");
    expect(cases[3]!.err).toContain("unknown command 'frobnicate'");
  });

  it("lists every command, each with its usage", async () => {
    const help = await cli("help");
    for (const name of ["start", "migrate", "keys", "calibrate", "report", "approve", "revert", "demo"]) {
      expect(help.out).toContain(name);
      const usage = await cli(name, "--help");
      expect(usage.code).toBe(0);
      expect(usage.out).toContain(`proofgate ${name}`);
    }
    expect(help.out).not.toContain("not available");
    // The demo is its own app; the server's command hands off to it and says so.
    expect(help.out).toContain("`pnpm demo`");
  });
});
