import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { groundTruth, loadScenario } from "../src/index.ts";

it("the worked example in docs/simulator.md is a valid scenario with the numbers the text states", () => {
  const doc = readFileSync(new URL("../../../docs/simulator.md", import.meta.url), "utf8");
  const json = /### Worked example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(json).toBeDefined();
  const file = join(tmpdir(), "simulator-docs-example.json");
  writeFileSync(file, json!);
  const t = groundTruth(loadScenario(file), "ticket-triage", "gpt-4o", "gpt-4o-mini");
  expect([t.format.band, t.format.agreement]).toEqual([0.99, 0.97]);
  expect(t.categorical.band).toBeCloseTo(0.975, 6);
  expect(t.categorical.agreement).toBeCloseTo(0.9418, 6);
  expect(t.semantic.band).toBeCloseTo(0.95, 6);
  expect(t.semantic.agreement).toBeCloseTo(0.9136, 6);
  expect(t.withinMargin).toBe(true);
});
