import { decodeCapture, encodeCapture, jsonOf, JsonText } from "@proofgate/db";
import { captureRecord } from "@proofgate/db/testing";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "@proofgate/providers";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { admitLine, admitRecord } from "../../src/capture/admit.ts";
import { sanitizeLine } from "../../src/capture/codec.ts";

// Hundreds of values up to 3,000 levels deep per property: seconds alone, more on a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

/** The true nesting depth of a parsed value, without recursion. */
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

/** A value wrapped in `depth` arrays or objects, alternating, built without recursion. */
function wrap(value: unknown, depth: number): unknown {
  let v = value;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}

// Strings with what JSON makes hard: quotes, backslashes, brackets, NUL, lone surrogates, emoji.
const nasty = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.constantFrom('"', "\\", "\\\\", '\\"', "[{", "}]", "\u0000", "\ud800", "\udc00", "😀", "\\u0000", "\\ud800"),
);
// Object keys hold no NUL and no lone surrogate: V8's JSON.parse (Node 24.21) now and then reads a
// one-character escaped key such as "\u0000" in text with non-Latin-1 characters as a backslash (663 of
// 2.2 M random values of this shape in a stress run of JSON.parse alone, no proofgate code involved).
// String values keep both, and Postgres refuses both in any case (sanitizeLine replaces them).
const REFUSED_IN_KEYS = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const key = nasty.filter((k) => !REFUSED_IN_KEYS.test(k));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), nasty, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
})).value;
const deep = fc.tuple(json, fc.integer({ min: 0, max: 3_000 })).map(([v, d]) => wrap(v, d));

describe("JSON nesting and capture lines, for any input", () => {
  it("jsonDepthExceeds agrees with the parsed value's depth", () => {
    fc.assert(
      fc.property(deep, fc.integer({ min: 0, max: 3_100 }), (value, limit) => {
        const text = jsonOf(value);
        expect(jsonDepthExceeds(text, limit)).toBe(depthOf(JSON.parse(text)) > limit);
      }),
      { numRuns: 300 },
    );
  });

  it("jsonOf writes what JSON.stringify writes, at any depth", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(jsonOf(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
    expect(() => jsonOf(wrap(1, 200_000))).not.toThrow();
  });

  it("a capture line is one line that reads back as the record, whatever its values", () => {
    fc.assert(
      fc.property(deep, json, nasty, (request, response, text) => {
        const record = captureRecord({ request, response, outputText: text, error: text });
        const line = encodeCapture(record);
        expect(line).not.toMatch(/[\r\n]/);
        const back = decodeCapture(line);
        expect(back?.id).toBe(record.id);
        expect(JSON.stringify(back?.request)).toBe(jsonOf(request));
        expect(back?.outputText).toBe(JSON.parse(JSON.stringify(text)));
      }),
      { numRuns: 200 },
    );
  });

  it("admission never throws, and what it admits nests no deeper than the limit allows", () => {
    fc.assert(
      fc.property(deep, deep, (request, response) => {
        const record = captureRecord({ request: new JsonText(jsonOf(request)), response });
        for (const admitted of [admitRecord(record), admitLine(encodeCapture(record))]) {
          if (admitted.ok) expect(jsonDepthExceeds(admitted.line, MAX_JSON_DEPTH + 1)).toBe(false);
          else expect(depthOf(request)).toBeGreaterThan(MAX_JSON_DEPTH);
          // A reply is never the reason a capture is refused: past the limit it is kept as text.
          if (depthOf(request) <= MAX_JSON_DEPTH) expect(admitted.ok).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("sanitizeLine never throws and leaves no NUL or lone surrogate in any string the line holds", () => {
    const refused = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    fc.assert(
      fc.property(deep, nasty, (value, text) => {
        const line = encodeCapture(captureRecord({ request: value, outputText: text }));
        const back = JSON.parse(sanitizeLine(line) ?? line) as unknown;
        const stack: unknown[] = [back];
        while (stack.length > 0) {
          const v = stack.pop();
          if (typeof v === "string") expect(v).not.toMatch(refused);
          else if (v !== null && typeof v === "object") {
            for (const [k, child] of Object.entries(v)) {
              expect(k).not.toMatch(refused);
              stack.push(child);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
    // What made the writer retry a batch forever: a line too deep for JSON.stringify.
    const deepLine = encodeCapture(captureRecord({ request: wrap("nul \u0000", 100_000) }));
    expect(() => sanitizeLine(deepLine)).not.toThrow();
    expect(sanitizeLine(deepLine)).toContain("nul \\ufffd");
  });
});
