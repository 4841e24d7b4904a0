import { assemble, MAX_JSON_DEPTH, validateRequest, type Endpoint } from "@proofgate/providers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// The request readers under hostile input: whatever a client sends, validation answers ok or a refusal
// with a code (never throws), nothing nested past the limit gets through, and reading a reply of any
// shape ends without a stack overflow.

const endpoints: Endpoint[] = ["chat.completions", "responses", "messages", "embeddings"];

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

const text = fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom('"', "\\", "[{", "}]", "\u0000", "\ud800", "😀", "\r\n"));
// No NUL or lone surrogate in object keys: V8's JSON.parse now and then misreads such an escaped
// one-character key (see capture-encoding.property.test.ts); values keep them.
const key = text.filter((k) => !/\u0000|[\uD800-\uDFFF]/.test(k));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), text, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
})).value;
/** A value wrapped `depth` times, alternating arrays and objects, so the total depth straddles the limit. */
const nested = fc.tuple(json, fc.integer({ min: MAX_JSON_DEPTH - 4, max: MAX_JSON_DEPTH + 4 })).map(([v, depth]) => {
  let out = v;
  for (let i = 0; i < depth; i++) out = i % 2 === 0 ? [out] : { k: out };
  return out;
});

describe("request readers, for any input", () => {
  it("answer arbitrary bytes with ok or a coded refusal, never a throw", () => {
    fc.assert(
      fc.property(fc.constantFrom(...endpoints), fc.uint8Array({ maxLength: 400 }), (endpoint, bytes) => {
        const result = validateRequest(endpoint, Buffer.from(bytes));
        if (!result.ok) expect(result.code).toMatch(/^[a-z_]+$/);
      }),
      { numRuns: 500 },
    );
  });

  it("refuse exactly the bodies nested past the limit, in any field, on every endpoint", () => {
    fc.assert(
      fc.property(fc.constantFrom(...endpoints), fc.oneof(json, nested), (endpoint, extra) => {
        const body = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }], input: "hi", extra };
        const result = validateRequest(endpoint, Buffer.from(JSON.stringify(body)));
        const tooDeep = depthOf(body) > MAX_JSON_DEPTH;
        expect(result.ok).toBe(!tooDeep);
        if (tooDeep && !result.ok) expect(result.code).toBe("json_too_deep");
      }),
      { numRuns: 500 },
    );
  });

  it("refuse a 100,000-deep field in milliseconds", () => {
    const raw = Buffer.from(`{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    const started = performance.now();
    expect(validateRequest("chat.completions", raw)).toMatchObject({ ok: false, code: "json_too_deep" });
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe("reply assembly, for any input", () => {
  it("ends on arbitrary text, JSON or SSE, any depth, with no stack overflow", () => {
    const deepReply = fc.integer({ min: 1_000, max: 20_000 }).map((d) => `{"choices":[{"message":{"content":"x","tool_calls":${"[".repeat(d)}${"]".repeat(d)}}}]}`);
    fc.assert(
      fc.property(fc.constantFrom(...endpoints), fc.boolean(), fc.oneof(fc.string(), json.map((v) => JSON.stringify(v)), deepReply), (endpoint, sse, reply) => {
        try {
          assemble(endpoint, sse ? `data: ${reply}\n\n` : reply, sse);
        } catch (error) {
          expect(error).not.toBeInstanceOf(RangeError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
