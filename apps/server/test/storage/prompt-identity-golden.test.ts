import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BoundedMemo } from "../../src/prompts/bounded-memo.ts";
import { identifyPrompt, memos } from "../../src/prompts/identify.ts";
import { type Golden, GOLDEN_PATH, inputDigest, templateRecord } from "./prompt-identity-golden.ts";
import { identityCorpus } from "./prompt-identity-corpus.ts";

const golden = JSON.parse(readFileSync(GOLDEN_PATH, "utf8")) as Golden;
const corpus = identityCorpus();
const allMemos = Object.values(memos);

function clearMemos(): void {
  for (const memo of allMemos) memo.clear();
}

/** Every case against the fixture; `before` runs ahead of each case (to churn the memos). */
function expectGolden(before: () => void = () => {}): void {
  expect(corpus.map((c) => c.name)).toEqual(golden.cases.map((g) => g.name));
  for (const [i, c] of corpus.entries()) {
    const want = golden.cases[i]!;
    // A different input means the corpus changed, not identifyPrompt: regenerate the fixture then.
    expect(inputDigest(c), `${c.name}: corpus changed, run write-prompt-identity-golden.ts`).toBe(want.inputDigest);
    before();
    const { template, ...identity } = identifyPrompt(c.input);
    expect({ ...identity, template: templateRecord(template) }, c.name).toEqual({
      promptId: want.promptId,
      promptName: want.promptName,
      fingerprint: want.fingerprint,
      template: golden.templates[want.template],
    });
  }
}

describe("identifyPrompt golden outputs", () => {
  it("reproduces the fixture on empty memos", () => {
    clearMemos();
    expectGolden();
  });

  it("reproduces the fixture from memo hits", () => {
    clearMemos();
    expectGolden();
    expect(memos.instructions.size).toBeGreaterThan(0);
    expect(memos.fingerprint.size).toBeGreaterThan(0);
    expect(memos.namedId.size).toBeGreaterThan(0);
    expectGolden();
  });

  it("reproduces the fixture while one-off keys keep emptying the memos", () => {
    clearMemos();
    let junk = 0;
    let emptied = 0;
    expectGolden(() => {
      const before = allMemos.map((m) => m.size);
      for (let k = 0; k < 60; k++, junk++) {
        memos.instructions.get(`junk ${junk}`);
        memos.fingerprint.get(`junk ${junk}`);
        memos.namedId.get(`junk ${junk}`);
      }
      emptied += allMemos.filter((m, i) => m.size < before[i]!).length;
    });
    expect(emptied).toBeGreaterThan(30);
  });
});

describe("prompt memos stay bounded", () => {
  it("holds at most its entries and characters, and never stores an over-long key", () => {
    const memo = new BoundedMemo((k) => k.toUpperCase(), { entries: 8, keyLength: 50, chars: 200 });
    for (let i = 0; i < 1000; i++) {
      const key = `k${i}`.padEnd(i % 70, "x");
      expect(memo.get(key)).toBe(key.toUpperCase());
      expect(memo.size).toBeLessThanOrEqual(8);
      expect(memo.chars).toBeLessThanOrEqual(200);
    }
    memo.clear();
    memo.get("y".repeat(51));
    expect(memo.size).toBe(0);
    const wide = new BoundedMemo((k) => k.repeat(3), { entries: 8, keyLength: 50, chars: 100 });
    wide.get("z".repeat(30)); // 30 + 90 characters: more than the whole budget, so not stored
    expect(wide.size).toBe(0);
  });

  it("keeps identifyPrompt's memos within their limits under endless distinct templates", () => {
    clearMemos();
    for (let i = 0; i < 3000; i++) {
      const system = `You are assistant number ${i}. ${"Follow the house rules. ".repeat(i % 900)}`;
      identifyPrompt({ endpoint: "chat.completions", body: { model: `m${i}`, messages: [{ role: "system", content: system }, { role: "user", content: "Hi" }] }, promptHeader: `name ${i}` });
      for (const memo of allMemos) {
        expect(memo.size).toBeLessThanOrEqual(memo.limits.entries);
        expect(memo.chars).toBeLessThanOrEqual(memo.limits.chars);
      }
    }
    // 3,000 identifications of growing templates: about a second alone, several on a loaded machine.
  }, 30_000);
});
