import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileContract, extractJson, extractLabel, inferContract, inferLabelSpec } from "../src/index.ts";
import { compareWithExpected } from "./golden-file.ts";

// Expected results are checked in next to each case; UPDATE_GOLDEN=1 rewrites them (review the diff), and a
// missing one fails.
const GOLDEN = join(import.meta.dirname, "../../../fixtures/golden");
const update = process.env.UPDATE_GOLDEN === "1";

interface GoldenCase {
  description: string;
  outputs: string[];
  probes: { name: string; output: string }[];
}

function cases(dir: string): [string, GoldenCase][] {
  return readdirSync(join(GOLDEN, dir))
    .filter((f) => f.endsWith(".json") && !f.endsWith(".expected.json"))
    .sort()
    .map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(join(GOLDEN, dir, f), "utf8")) as GoldenCase]);
}

function expectGolden(dir: string, name: string, actual: unknown): void {
  compareWithExpected(join(GOLDEN, dir, `${name}.expected.json`), actual, update);
}

describe("golden format contracts", () => {
  it.each(cases("contracts"))("%s", (name, golden) => {
    const contract = inferContract(golden.outputs);
    // The contract is stored as JSON and reloaded: check the reloaded one.
    const check = compileContract(JSON.parse(JSON.stringify(contract)));
    const probes = golden.probes.map((p) => ({ name: p.name, ...check(p.output) }));
    expectGolden("contracts", name, { contract, probes });
    // Every complete baseline sample satisfies its own contract.
    for (const output of golden.outputs) {
      const truncated = contract.mode === "json" && !extractJson(output).found;
      if (!truncated) expect(check(output), output).toEqual({ ok: true, violations: [] });
    }
  });
});

describe("golden label extraction", () => {
  it.each(cases("labels"))("%s", (name, golden) => {
    const spec = inferLabelSpec(golden.outputs);
    const reloaded = JSON.parse(JSON.stringify(spec));
    const baselineLabels = golden.outputs.map((o) => extractLabel(reloaded, o));
    const probes = golden.probes.map((p) => ({ name: p.name, label: extractLabel(reloaded, p.output) }));
    expectGolden("labels", name, { spec, baselineLabels, probes });
  });
});
