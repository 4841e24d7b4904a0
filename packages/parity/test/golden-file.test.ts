import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareWithExpected } from "./golden-file.ts";

const dir = mkdtempSync(join(tmpdir(), "pg-golden-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("golden file check", () => {
  it("fails on a missing expected file, names the command that writes it, and writes nothing", () => {
    const path = join(dir, "missing.expected.json");
    expect(() => compareWithExpected(path, { a: 1 }, false)).toThrow(/missing\.expected\.json.*UPDATE_GOLDEN=1/s);
    expect(existsSync(path)).toBe(false);
  });

  it("writes the expected file only when asked to, then compares with it", () => {
    const path = join(dir, "written.expected.json");
    compareWithExpected(path, { a: 1 }, true);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ a: 1 });
    compareWithExpected(path, { a: 1 }, false);
    expect(() => compareWithExpected(path, { a: 2 }, false)).toThrow();
  });

  it("fails when the result differs from a checked-in expected file", () => {
    const path = join(dir, "differs.expected.json");
    writeFileSync(path, `${JSON.stringify({ a: 1 })}\n`);
    expect(() => compareWithExpected(path, { a: 2 }, false)).toThrow();
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ a: 1 });
  });
});
