import { calcPrice } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { PriceBook } from "../src/prices.ts";

describe("PriceBook", () => {
  const book = new PriceBook({ "my-model": { inputPerMTok: 2, outputPerMTok: 8 }, "gpt-4o-mini": { outputPerMTok: 1 } });

  // The fast path must agree with the library it caches: random sizes, cache mixes, tiered and flat models.
  it("matches calcPrice across models and sizes", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 48271) % 2147483647) % n);
    const models = [["openai", "gpt-4o"], ["openai", "gpt-5"], ["anthropic", "claude-sonnet-4-5"], ["anthropic", "claude-haiku-4-5"], ["openai", "gpt-4.1-mini"]] as const;
    for (let i = 0; i < 300; i++) {
      const [provider, model] = models[i % models.length]!;
      const inputTokens = rand(i % 7 === 0 ? 400_000 : 20_000);
      const cacheReadTokens = rand(Math.max(1, Math.floor(inputTokens / 2)));
      const cacheWriteTokens = provider === "anthropic" ? rand(Math.max(1, inputTokens - cacheReadTokens)) : 0;
      const usage = { inputTokens, outputTokens: rand(4000), cacheReadTokens, cacheWriteTokens };
      const expected = calcPrice(
        { input_tokens: inputTokens, output_tokens: usage.outputTokens, cache_read_tokens: cacheReadTokens, cache_write_tokens: cacheWriteTokens },
        model,
        { providerId: provider },
      );
      expect(expected, model).not.toBeNull();
      expect(book.cost(provider, model, usage)).toBeCloseTo(expected!.total_price, 10);
    }
  });

  it("config prices replace the table's, one side at a time", () => {
    expect(book.cost("openai", "my-model", { inputTokens: 1_000_000, outputTokens: 500_000, cacheReadTokens: 0, cacheWriteTokens: 0 })).toBeCloseTo(6, 10);
    const table = calcPrice({ input_tokens: 1000, output_tokens: 0 }, "gpt-4o-mini", { providerId: "openai" })!;
    expect(book.cost("openai", "gpt-4o-mini", { inputTokens: 1000, outputTokens: 1_000_000, cacheReadTokens: 0, cacheWriteTokens: 0 })).toBeCloseTo(table.input_price + 1, 10);
  });

  it("an unknown model has no cost rather than a wrong one", () => {
    expect(new PriceBook().cost("openai", "no-such-model-xyz", { inputTokens: 10, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 })).toBeNull();
  });
});

describe("PriceBook across providers", () => {
  const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
  it("prices a preset's model by the price table's provider id", () => {
    const book = new PriceBook();
    expect(book.cost("groq", "llama-3.3-70b-versatile", usage)).toBeGreaterThan(0);
    expect(book.cost("xai", "grok-3", usage)).toBeGreaterThan(0);
    expect(book.known("groq", "llama-3.3-70b-versatile")).toBe(true);
    expect(book.known("groq", "no-such-model-xyz")).toBe(false);
  });

  it("maps a custom provider name and prices a models entry by its upstream id too", () => {
    const book = new PriceBook({ mine: { upstreamModel: "served-as", inputPerMTok: 1, outputPerMTok: 2 } }, { "my-groq": "groq" });
    expect(book.cost("my-groq", "llama-3.3-70b-versatile", usage)).toBe(new PriceBook().cost("groq", "llama-3.3-70b-versatile", usage));
    expect(book.cost("local", "served-as", usage)).toBe(3);
  });
});
