import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { checkStructure } from "../structure/check.ts";
import type { Offender } from "../structure/types.ts";

const SCRIPT = join(import.meta.dirname, "..", "check-structure.ts");
const roots: string[] = [];

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const manifest = (name: string) => JSON.stringify({ name: `@proofgate/${name}`, type: "module", exports: { ".": "./src/index.ts" } });

/** A throwaway repository: four apps and two packages with one clean entry each, plus `files` on top. */
function tree(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), "structure-"));
  roots.push(root);
  const base: Record<string, string> = {};
  for (const app of ["server", "dashboard", "worker", "demo"]) {
    base[`apps/${app}/package.json`] = manifest(app);
    base[`apps/${app}/src/index.ts`] = `export const ${app} = 1;\n`;
  }
  for (const pkg of ["db", "parity"]) {
    base[`packages/${pkg}/package.json`] = manifest(pkg);
    base[`packages/${pkg}/src/index.ts`] = `export const ${pkg} = 1;\n`;
  }
  for (const [path, text] of Object.entries({ ...base, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const lines = (n: number, make = (i: number) => `export const v${i} = ${i};`) => `${Array.from({ length: n }, (_, i) => make(i)).join("\n")}\n`;
/** A function declaration spanning exactly `n` lines. */
const fn = (name: string, n: number) => `export function ${name}() {\n${"  console.log(1);\n".repeat(n - 2)}}\n`;

function found(root: string, rule: Offender["rule"]): Offender[] {
  return checkStructure(root).offenders.filter((o) => o.rule === rule);
}

describe("check-structure", () => {
  it("passes a clean tree, and the command exits 0 saying so", async () => {
    const root = tree({
      "apps/server/src/app.ts":
        'import { dashboard } from "@proofgate/dashboard";\nimport { worker } from "@proofgate/worker";\nexport const app = [dashboard, worker];\n',
      "apps/demo/src/run.ts": 'import { server } from "@proofgate/server";\nexport const run = server;\n',
      "packages/parity/src/long.ts": lines(300),
      "packages/parity/src/fn.ts": fn("exactlyEighty", 80),
      "apps/server/test/huge.test.ts": lines(400),
    });
    expect(checkStructure(root).offenders).toEqual([]);
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, root]);
    expect(stdout).toContain("structure: clean");
  });

  it("reports a source file of 301 lines, not one in test/ or bench/", () => {
    const root = tree({
      "apps/worker/src/big.ts": lines(301),
      "apps/worker/test/big.ts": lines(301),
      "packages/parity/bench/big.ts": lines(301),
    });
    expect(found(root, "file-length")).toEqual([{ rule: "file-length", file: "apps/worker/src/big.ts", line: 1, reason: "301 lines (limit 300)" }]);
  });

  it("reports functions of 81 lines bound to a name: declaration, arrow, method", () => {
    const body = "  console.log(1);\n".repeat(79);
    const root = tree({
      "packages/parity/src/decl.ts": `// header\n${fn("tooLong", 81)}`,
      "packages/parity/src/arrow.ts": `export const handler = async () => {\n${body}};\n`,
      "packages/parity/src/method.ts": `export class Engine {\n  step() {\n${body}  }\n}\n`,
      "packages/parity/src/callback.ts": `[1].forEach(() => {\n${body}});\n`,
    });
    expect(found(root, "function-length").map((o) => `${o.file}:${o.line} ${o.reason}`)).toEqual([
      "packages/parity/src/arrow.ts:1 function handler is 81 lines (limit 80)",
      "packages/parity/src/decl.ts:2 function tooLong is 81 lines (limit 80)",
      "packages/parity/src/method.ts:2 function step is 81 lines (limit 80)",
    ]);
  });

  it("reports an import cycle, and one through type-only imports, but not through a dynamic import", () => {
    const root = tree({
      "apps/server/src/proxy/forward.ts": 'import { routed } from "./routed.ts";\nexport const forward = () => routed;\n',
      "apps/server/src/proxy/routed.ts": 'import { forward } from "./forward.ts";\nexport const routed = () => forward;\n',
      "packages/parity/src/a.ts": 'import type { B } from "./b.ts";\nexport type A = { b?: B };\n',
      "packages/parity/src/b.ts": 'import { type A } from "./a.ts";\nexport type B = { a?: A };\n',
      "packages/db/src/a.ts": 'export const a = () => import("./b.ts");\n',
      "packages/db/src/b.ts": 'import { a } from "./a.ts";\nexport const b = a;\n',
    });
    expect(found(root, "import-cycle").map((o) => `${o.file}:${o.line} ${o.reason}`)).toEqual([
      "apps/server/src/proxy/forward.ts:1 import cycle: apps/server/src/proxy/forward.ts -> apps/server/src/proxy/routed.ts -> apps/server/src/proxy/forward.ts",
      "packages/parity/src/a.ts:1 import cycle: packages/parity/src/a.ts -> packages/parity/src/b.ts -> packages/parity/src/a.ts; through type-only imports too",
    ]);
  });

  it("follows workspace names into cycles across packages", () => {
    const root = tree({
      "packages/db/src/index.ts": 'import { parity } from "@proofgate/parity";\nexport const db = parity;\n',
      "packages/parity/src/index.ts": 'import { db } from "@proofgate/db";\nexport const parity = db;\n',
    });
    expect(found(root, "import-cycle").map((o) => o.reason)).toEqual([
      "import cycle: packages/db/src/index.ts -> packages/parity/src/index.ts -> packages/db/src/index.ts",
    ]);
  });

  it("reports an app importing another app off the allowed edges, or reaching into its files, and a package importing an app", () => {
    const root = tree({
      "apps/dashboard/src/util.ts": "export const util = 1;\n",
      "apps/worker/src/uses-server.ts": 'import { server } from "@proofgate/server";\nexport const x = server;\n',
      "apps/server/src/deep.ts": 'import { util } from "../../dashboard/src/util.ts";\nexport const y = util;\n',
      "apps/demo/src/sub.ts": 'export const z = () => import("@proofgate/dashboard/src/util.ts");\n',
      "packages/db/src/up.ts": 'import type { worker } from "@proofgate/worker";\nexport type W = typeof worker;\n',
    });
    expect(found(root, "app-import").map((o) => `${o.file}:${o.line} ${o.reason}`)).toEqual([
      "apps/demo/src/sub.ts:1 imports @proofgate/dashboard/src/util.ts, which @proofgate/dashboard does not export",
      "apps/server/src/deep.ts:1 reaches into apps/dashboard/src/util.ts: an app imports another only through its package entry",
      "apps/worker/src/uses-server.ts:1 imports @proofgate/server; worker -> server is not an allowed edge (server -> dashboard, server -> worker, demo -> server, demo -> dashboard)",
      "packages/db/src/up.ts:1 package db imports app worker: packages never depend on apps",
    ]);
  });

  it("reports errors matched by name or message text, not other names compared", () => {
    const root = tree({
      "apps/server/src/start.ts": [
        "export function map(error: unknown, tools: { name: string }[]) {",
        '  if (error instanceof Error && error.name === "CalibrationInputError") return 1;',
        '  if ((error as Error | null)?.name !== "AbortError") return 2;',
        '  if (error instanceof Error && error.message.includes("already running")) return 3;',
        "  if (/thread exited/.test((error as Error).message)) return 4;",
        '  if (String(error) === "boom") return 5;',
        '  return tools.find((t) => t.name === "search") ? 6 : 7;',
        "}",
        "",
      ].join("\n"),
    });
    expect(found(root, "error-match").map((o) => `${o.line} ${o.reason.split(":")[0]}`)).toEqual([
      "2 error matched by its name",
      "3 error matched by its name",
      "4 error matched by its message text (.includes)",
      "5 error matched by its message text (regex)",
      "6 error matched by its message text",
    ]);
  });

  it("reports `as` casts of the jsonb columns named in the db schema, not of other fields", () => {
    const root = tree({
      "packages/db/src/schema/calibrations.ts": [
        'import { jsonb, pgTable, text } from "drizzle-orm/pg-core";',
        'export const calibrations = pgTable("calibrations", {',
        '  id: text("id").primaryKey(),',
        '  report: jsonb("report"),',
        '  toolCalls: jsonb("tool_calls").$type<unknown[]>().notNull(),',
        "});",
        "",
      ].join("\n"),
      "apps/worker/src/read.ts": [
        "type Row = { id: string; report: unknown; toolCalls: unknown; label: unknown };",
        "export const read = (row: Row) => [",
        "  row.report as { pairs: number },",
        '  row["toolCalls"] as unknown as string[],',
        "  row.label as string,",
        "  row.id as string,",
        "];",
        "",
      ].join("\n"),
    });
    expect(found(root, "jsonb-cast").map((o) => `${o.line} ${o.reason}`)).toEqual([
      '3 `row.report as { pairs: number }` casts jsonb column "report": read it through its schema',
      '4 `row["toolCalls"] as unknown` casts jsonb column "toolCalls": read it through its schema',
    ]);
  });

  it("exits 1 on offenders by default and 0 with --report, printing file:line and a count per rule", async () => {
    const root = tree({ "apps/worker/src/big.ts": lines(301) });
    const run = promisify(execFile);
    const failed = await run(process.execPath, [SCRIPT, root]).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain("apps/worker/src/big.ts:1  301 lines (limit 300)");
    expect(failed?.stdout).toMatch(/file-length\s+1\n\s+function-length\s+0/);
    const reported = await run(process.execPath, [SCRIPT, "--report", root]);
    expect(reported.stdout).toContain("structure: 1 offenders");
  });
});
