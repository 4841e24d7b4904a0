import { describe, expect, it } from "vitest";
import { FAMILIES as SIMULATED, generateInput, requestBody } from "@proofgate/simulator";
import { identifyPrompt } from "../../src/prompts/identify.ts";
import { FAMILIES, rng, type Sample } from "./prompt-families.ts";

const PER_FAMILY = 300;

function generate(seed: number): Sample[] {
  const r = rng(seed);
  return FAMILIES.flatMap((make) => Array.from({ length: PER_FAMILY }, () => make(r)));
}

describe("identifyPrompt grouping", () => {
  it("puts one template's requests in one prompt and keeps templates apart", () => {
    const samples = generate(42);
    const byFamily = new Map<string, Map<string, number>>();
    const familiesOfId = new Map<string, Set<string>>();
    for (const s of samples) {
      const { promptId } = identifyPrompt({ endpoint: s.endpoint, body: s.body });
      const counts = byFamily.get(s.family) ?? new Map<string, number>();
      counts.set(promptId, (counts.get(promptId) ?? 0) + 1);
      byFamily.set(s.family, counts);
      familiesOfId.set(promptId, (familiesOfId.get(promptId) ?? new Set()).add(s.family));
    }
    // Grouping accuracy: the share of requests that land in their family's main prompt, when that prompt
    // holds no other family. Separation: no prompt id mixes two families.
    let grouped = 0;
    const report: Record<string, { prompts: number; inMain: number }> = {};
    for (const [family, counts] of byFamily) {
      const [mainId, mainCount] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
      const pure = (familiesOfId.get(mainId)?.size ?? 0) === 1;
      if (pure) grouped += mainCount;
      report[family] = { prompts: counts.size, inMain: mainCount / PER_FAMILY };
    }
    const mixed = [...familiesOfId.values()].filter((f) => f.size > 1).length;
    const accuracy = grouped / samples.length;
    console.log(`prompt grouping: accuracy ${(accuracy * 100).toFixed(1)}% over ${samples.length} requests, ${mixed} mixed prompts`, report);
    expect(mixed).toBe(0);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    for (const r of Object.values(report)) expect(r.inMain).toBeGreaterThanOrEqual(0.85);
  });

  it("groups the simulator's families, written apart from these rules, one prompt each", () => {
    // Held-out traffic: the simulator renders its own templates and inputs; nothing here was tuned on it
    // except the month-name dates and the prose-with-a-colon lines its emails contain.
    const idsByFamily = new Map<string, Set<string>>();
    const familiesById = new Map<string, Set<string>>();
    let total = 0;
    for (const [kind, family] of Object.entries(SIMULATED)) {
      const ids = new Set<string>();
      for (const seed of [1, 2, 3]) {
        for (let i = 0; i < 100; i++) {
          const body = requestBody(family, kind, generateInput(family, seed, kind, i), "gpt-4o");
          const { promptId } = identifyPrompt({ endpoint: "chat.completions", body });
          ids.add(promptId);
          familiesById.set(promptId, (familiesById.get(promptId) ?? new Set()).add(kind));
          total += 1;
        }
      }
      idsByFamily.set(kind, ids);
    }
    console.log(`simulator families: ${total} requests`, Object.fromEntries([...idsByFamily].map(([k, v]) => [k, v.size])));
    expect(idsByFamily.size).toBeGreaterThanOrEqual(5);
    for (const ids of idsByFamily.values()) expect(ids.size).toBe(1);
    expect([...familiesById.values()].every((f) => f.size === 1)).toBe(true);
  });

  it("derives a named prompt's id from the name only", () => {
    const [a, b] = generate(7);
    const one = identifyPrompt({ endpoint: a!.endpoint, body: a!.body, promptHeader: "triage" });
    const two = identifyPrompt({ endpoint: "messages", body: { model: "x", messages: [] }, promptHeader: " triage " });
    expect(one.promptId).toBe(two.promptId);
    expect(one.promptName).toBe("triage");
    expect(one.fingerprint).not.toBe(two.fingerprint);
    expect(one.promptId).not.toBe(identifyPrompt({ endpoint: b!.endpoint, body: b!.body }).promptId);
    expect(identifyPrompt({ endpoint: a!.endpoint, body: a!.body, promptHeader: "  " }).promptName).toBeNull();
  });

  it("separates templates that differ in model, tools or response format", () => {
    const base = { model: "gpt-4o", messages: [{ role: "system", content: "Rate the review." }, { role: "user", content: "Review: great" }] };
    const id = (body: unknown) => identifyPrompt({ endpoint: "chat.completions", body }).promptId;
    const ids = new Set([
      id(base),
      id({ ...base, model: "gpt-4o-mini" }),
      id({ ...base, response_format: { type: "json_object" } }),
      id({ ...base, tools: [{ type: "function", function: { name: "rate", parameters: { type: "object" } } }] }),
      identifyPrompt({ endpoint: "responses", body: base }).promptId,
    ]);
    expect(ids.size).toBe(5);
    // Key order inside a schema is not a different template.
    expect(id({ ...base, response_format: { type: "json_schema", json_schema: { name: "a", schema: { type: "object", required: [] } } } })).toBe(
      id({ ...base, response_format: { json_schema: { schema: { required: [], type: "object" }, name: "a" }, type: "json_schema" } }),
    );
  });

  it("keeps apart templates that share their structure but not their instructions", () => {
    const chat = (system: string, user: string) =>
      identifyPrompt({ endpoint: "chat.completions", body: { model: "gpt-4o", messages: [{ role: "system", content: system }, { role: "user", content: user }] } }).promptId;
    const docs = "Documents:\n\n" + "The warranty covers parts and labour for two years from the date of purchase in all regions. ".repeat(5);
    const pairs: Array<[string, string]> = [
      [chat("You are Acme's support bot.", "How do I reset my password?"), chat("You are Acme's sales bot.", "How do I reset my password?")],
      [chat(`Answer only from the documents.\n\n${docs}`, "Is it covered?"), chat(`Summarise the documents for a lawyer.\n\n${docs}`, "Is it covered?")],
      [chat("Flag fraud: answer yes or no.", '{"order": 1}'), chat("Estimate delivery days.", '{"order": 1}')],
      [chat("You are a helpful assistant.", "Translate to French: good morning"), chat("You are a helpful assistant.", "Translate to German: good morning")],
      [chat("You are a helpful assistant.", "Summarize this review:\ngreat"), chat("You are a helpful assistant.", "Classify this review:\ngreat")],
    ];
    for (const [a, b] of pairs) expect(a).not.toBe(b);
  });

  it("survives bodies that are not what the endpoint expects", () => {
    for (const body of [null, 42, "text", [], { messages: "x" }, { input: [null, 3] }, { system: [1, { text: 2 }] }]) {
      expect(identifyPrompt({ endpoint: "messages", body }).promptId).toMatch(/^pf_[0-9a-f]{20}$/);
      expect(identifyPrompt({ endpoint: "responses", body }).promptId).toMatch(/^pf_[0-9a-f]{20}$/);
    }
  });

  it("keeps its work bounded on huge bodies", () => {
    const json = JSON.stringify({ rows: Array.from({ length: 150_000 }, (_, i) => ({ i, name: `row ${i}` })) });
    const prose = JSON.parse(JSON.stringify("lorem ipsum dolor sit amet ".repeat(600_000))) as string;
    for (const content of [json, prose]) {
      const body = { model: "m", messages: [{ role: "user", content }] };
      identifyPrompt({ endpoint: "chat.completions", body });
      const start = performance.now();
      identifyPrompt({ endpoint: "chat.completions", body });
      expect(performance.now() - start).toBeLessThan(20);
    }
  });

  it("stays fast on hostile text (no regex backtracking blow-up)", () => {
    const hostile = ["<a>".repeat(4000), "[[".repeat(6000), "a1-".repeat(4000), `${"a.".repeat(6000)}@`, '"a '.repeat(4000), "Ab: c\n".repeat(2000), "```".repeat(4000)];
    for (const content of hostile) {
      const body = { model: "m", messages: [{ role: "user", content }] };
      identifyPrompt({ endpoint: "chat.completions", body });
      const start = performance.now();
      identifyPrompt({ endpoint: "chat.completions", body });
      expect(performance.now() - start, content.slice(0, 12)).toBeLessThan(25);
    }
  });

  it("costs microseconds per request", () => {
    const samples = generate(3);
    const start = performance.now();
    for (const s of samples) identifyPrompt({ endpoint: s.endpoint, body: s.body });
    const perCallUs = ((performance.now() - start) * 1000) / samples.length;
    console.log(`identifyPrompt: ${perCallUs.toFixed(1)} µs per request`);
    expect(perCallUs).toBeLessThan(500);
  });
});
