import { describe, expect, it } from "vitest";
import { compileContract, inferContract, inferLabelSpec, extractLabel, mulberry32 } from "../src/index.ts";

// Random JSON documents shaped like structured-output replies: the contract inferred from a sample must
// accept every document of that sample, however the optional, nullable and nested parts fall.
function randomDocument(random: () => number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const maybe = (p: number) => random() < p;
  const doc: Record<string, unknown> = {
    kind: pick(["a", "b", "c"]),
    score: maybe(0.5) ? Math.floor(random() * 5) : random(),
    flag: maybe(0.5),
    nested: { label: pick(["x", "y"]), note: maybe(0.3) ? null : `n${Math.floor(random() * 1000)}` },
    rows: Array.from({ length: Math.floor(random() * 4) }, () => ({ id: Math.floor(random() * 1e6), tag: maybe(0.2) ? null : pick(["p", "q"]) })),
  };
  if (maybe(0.4)) doc.optional = pick([1, "one", [1, 2], { deep: true }]);
  return doc;
}

describe("format contract properties", () => {
  it("accepts every baseline sample it was inferred from (60 random samples of 30 documents)", () => {
    const random = mulberry32(42);
    for (let sample = 0; sample < 60; sample++) {
      const outputs = Array.from({ length: 30 }, () => {
        const text = JSON.stringify(randomDocument(random), null, random() < 0.5 ? 2 : undefined);
        return random() < 0.3 ? "```json\n" + text + "\n```" : text;
      });
      const check = compileContract(inferContract(outputs));
      for (const output of outputs) expect(check(output)).toEqual({ ok: true, violations: [] });
    }
  }, 60_000);

  it("gives every baseline sample a label when a label field exists", () => {
    const random = mulberry32(43);
    for (let sample = 0; sample < 50; sample++) {
      const outputs = Array.from({ length: 30 }, () => JSON.stringify(randomDocument(random)));
      const spec = inferLabelSpec(outputs);
      expect(spec.applicable).toBe(true);
      for (const output of outputs) expect(extractLabel(spec, output)).toMatch(/kind=/);
    }
  });
});
