import { describe, expect, it } from "vitest";
import { jsonDepthExceeds, MAX_JSON_DEPTH, nestsDeeperThan } from "../src/json-depth.ts";
import { validateRequest } from "../src/index.ts";

const nested = (depth: number, open = "[", close = "]") => `${open.repeat(depth)}${close.repeat(depth)}`;

/** The true depth, from the parsed value, to check the scanner against. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    max = Math.max(max, d + 1);
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

describe("jsonDepthExceeds", () => {
  it("counts arrays and objects, at the limit and one past it", () => {
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    const objects = `${'{"a":'.repeat(MAX_JSON_DEPTH)}1${"}".repeat(MAX_JSON_DEPTH)}`;
    expect(jsonDepthExceeds(objects)).toBe(false);
    expect(jsonDepthExceeds(`[${objects}]`)).toBe(true);
    expect(jsonDepthExceeds("{}", 0)).toBe(true);
    expect(jsonDepthExceeds('"[[[["', 1)).toBe(false);
  });

  it("skips brackets inside strings, escaped quotes and backslashes included", () => {
    const cases = [
      '{"a":"[[[[{{{{"}',
      '{"a":"say \\"[[[[\\" twice","b":[1]}',
      '{"a":"ends in a backslash \\\\","b":[[1]]}',
      '{"a":"\\\\\\"[[[","b":{"c":[]}}',
      '["\\u005b\\u005b", [[]], "]]]]"]',
      '{"emoji":"😀[[","b":[{"c":"}}}}"}]}',
    ];
    for (const text of cases) {
      const depth = depthOf(JSON.parse(text));
      expect(jsonDepthExceeds(text, depth), text).toBe(false);
      expect(jsonDepthExceeds(text, depth - 1), text).toBe(true);
    }
  });

  it("handles a 100,000-deep array without recursion", () => {
    expect(jsonDepthExceeds(nested(100_000))).toBe(true);
  });
});

describe("validateRequest: nesting", () => {
  const chat = (extra: string) => Buffer.from(`{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"metadata":${extra}}`);

  it("refuses a body nested past the limit with json_too_deep, naming the limit", () => {
    for (const depth of [10_000, 100_000]) {
      const result = validateRequest("chat.completions", chat(nested(depth)));
      expect(result).toMatchObject({ ok: false, code: "json_too_deep" });
      expect(!result.ok && result.message).toContain(String(MAX_JSON_DEPTH));
    }
  });

  it("accepts a body exactly at the limit", () => {
    // The body object is one level, so the field may hold MAX_JSON_DEPTH - 1 more.
    expect(validateRequest("chat.completions", chat(nested(MAX_JSON_DEPTH - 1))).ok).toBe(true);
    expect(validateRequest("chat.completions", chat(nested(MAX_JSON_DEPTH)))).toMatchObject({ ok: false, code: "json_too_deep" });
  });
});

/** The dashboard's former scanner, which nestsDeeperThan replaced, kept as the oracle. */
function nestsDeeperThanBefore(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return false;
}

describe("nestsDeeperThan", () => {
  it("counts brackets outside strings only", () => {
    expect(nestsDeeperThan("[[1]]", 2)).toBe(false);
    expect(nestsDeeperThan("[[[1]]]", 2)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[\\"[[["}', 1)).toBe(false);
    expect(nestsDeeperThan("[".repeat(100_000), 128)).toBe(true);
    expect(nestsDeeperThan("plain text with a [bracket] or two", 1)).toBe(false);
  });

  // It reads model output, which need not be JSON: it must agree with the original on any text.
  it("agrees with the dashboard's scanner on any text, JSON or not", () => {
    const alphabet = ['[', ']', '{', '}', '"', "\\", "a", " "];
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let n = 0; n < 20_000; n++) {
      let text = "";
      const length = next() % 24;
      for (let i = 0; i < length; i++) text += alphabet[next() % alphabet.length];
      const limit = next() % 4;
      expect(nestsDeeperThan(text, limit), JSON.stringify([text, limit])).toBe(nestsDeeperThanBefore(text, limit));
    }
  });
});
