import { describe, expect, it } from "vitest";
import { jsonText } from "../src/json-text.ts";

/** A small seeded generator (mulberry32), so a failing value can be reproduced from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const strings = ["", "a", 'quote " and \\ backslash', "line\nbreak\ttab\u0000nul", "café ✓ 😀", "\ud800 lone surrogate", "__proto__"];
const numbers = [0, -0, 1.5, -42, 1e21, Number.NaN, Number.POSITIVE_INFINITY];

function value(next: () => number, depth: number): unknown {
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const r = next();
  if (depth > 5 || r < 0.35) return pick<unknown>([null, true, false, undefined, ...strings, ...numbers]);
  const n = Math.floor(next() * 4);
  if (r < 0.6) return Array.from({ length: n }, () => value(next, depth + 1));
  if (r < 0.7) return new Date(Math.floor(next() * 2e12));
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [pick(strings) + i, value(next, depth + 1)]));
}

function deepArray(depth: number): unknown {
  let v: unknown = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe("jsonText", () => {
  it("writes what JSON.stringify writes, compact and indented, for 2,000 generated values", () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const v = value(random(seed), 0);
      expect(jsonText(v).text, `seed ${seed}`).toBe(JSON.stringify(v) ?? "null");
      expect(jsonText(v, { indent: 2 }).text, `seed ${seed}`).toBe(JSON.stringify(v, null, 2) ?? "null");
    }
  });

  it("writes a 100,000-deep value that JSON.stringify cannot, and it parses back", () => {
    const v = deepArray(100_000);
    expect(() => JSON.stringify(v)).toThrow(RangeError);
    const { text, truncated } = jsonText(v);
    expect(truncated).toBe(false);
    expect(text).toBe("[".repeat(100_001) + "]".repeat(100_001));
    expect(JSON.parse(text)).toBeInstanceOf(Array);
  });

  it("stops at its character budget, cutting a long string before quoting it", () => {
    const big = { model: "gpt-4o", input: "x".repeat(30_000_000), after: 1 };
    const result = jsonText(big, { indent: 2, maxChars: 1000 });
    expect(result.truncated).toBe(true);
    expect(result.text).toHaveLength(1000);
    expect(result.text.startsWith('{\n  "model": "gpt-4o",\n  "input": "xxx')).toBe(true);
    expect(jsonText({ a: 1 }, { maxChars: 1000 })).toEqual({ text: '{"a":1}', truncated: false, elided: false });
  });

  it("elides containers below maxDepth", () => {
    expect(jsonText({ a: [[1], { b: {} }] }, { maxDepth: 2 })).toEqual({ text: '{"a":[[…],{…}]}', truncated: false, elided: true });
    expect(jsonText(deepArray(10_000), { maxDepth: 3 }).text).toBe("[[[[…]]]]");
  });

  it("refuses a cycle as JSON.stringify does, instead of looping", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = { again: cyclic };
    expect(() => jsonText(cyclic)).toThrow(TypeError);
  });
});
