import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pairedGap, truthOf } from "../bootstrap.ts";
import { gsm8kGold, ragGold, wikiAnswerable } from "../gold.ts";

const DIR = process.env.PROOFGATE_DATASETS ?? fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));
const present = existsSync(`${DIR}/routellm`) && existsSync(`${DIR}/structured_rag`);
if (!present) console.log(`gold reader tests skipped: datasets directory ${DIR} is absent (set PROOFGATE_DATASETS)`);

describe("paired bootstrap", () => {
  it("is reproducible and brackets the mean gap", () => {
    const base = Array.from({ length: 400 }, (_, i) => +(i % 10 < 8));
    const cand = Array.from({ length: 400 }, (_, i) => +(i % 10 < 6));
    const g = pairedGap(base, cand, { seed: 3 });
    expect(g.gap).toBeCloseTo(0.2, 10);
    expect(g.low).toBeLessThan(0.2);
    expect(g.high).toBeGreaterThan(0.2);
    expect(pairedGap(base, cand, { seed: 3 })).toEqual(g);
    expect(truthOf(g, 0.05)).toBe("unsafe");
    expect(truthOf(pairedGap(base, base), 0.05)).toBe("safe");
  });
});

describe.skipIf(!present)("gold readers", () => {
  it("read RouteLLM's correctness columns and StructuredRAG's failure lists as published", () => {
    const rows = gsm8kGold(DIR);
    expect(rows).toHaveLength(1319);
    expect(rows.filter((r) => r.correct["gpt-4-1106-preview"]).length / rows.length).toBeCloseTo(0.857, 3);
    const llama = ragGold(DIR, "RateContext", "llama3:instruct");
    expect(llama.formatOk.filter(Boolean)).toHaveLength(52);
    expect(wikiAnswerable(DIR)).toHaveLength(112);
  });
});
