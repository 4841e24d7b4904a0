import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { groundTruth, loadScenario, ScenarioError, startSimulator, validateScenario, type Scenario } from "../src/index.ts";

const DIR = new URL("../../../fixtures/scenarios/", import.meta.url).pathname;
const load = (name: string) => loadScenario(`${DIR}${name}.json`);
const raw = (name: string) => JSON.parse(readFileSync(`${DIR}${name}.json`, "utf8")) as Scenario;

function problemsOf(value: unknown): string[] {
  try {
    validateScenario(value);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
}

describe("scenario validation", () => {
  it("accepts every shipped scenario", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) expect(() => loadScenario(DIR + f), f).not.toThrow();
  });

  it("names the path of a bad field", () => {
    const s = raw("safe-candidate");
    (s.models[1]!.profiles!["*"] as Record<string, unknown>).labelErrorRate = 1.5;
    expect(problemsOf(s)).toEqual(["models[1].profiles.*.labelErrorRate: must be <= 1"]);
  });

  it("names unknown fields, missing fields and bad enums", () => {
    const s = raw("safe-candidate") as unknown as Record<string, unknown> & Scenario;
    (s.models[0] as unknown as Record<string, unknown>).provider = "azure";
    (s.families[2] as unknown as Record<string, unknown>).colour = "blue";
    delete (s as Record<string, unknown>).name;
    const problems = problemsOf(s);
    expect(problems).toContain("name: is required");
    expect(problems).toContain("families[2].colour: unknown field");
    expect(problems).toContain("models[0].provider: must be one of openai, anthropic");
  });

  it("refuses impossible behaviour and dangling names", () => {
    const s = raw("safe-candidate");
    s.models[0]!.profiles = { "ticket-triage": { labelErrorRate: 0.01, selfNoise: 0.3 }, "no-such-family": {} };
    s.baseline = "gpt-5";
    const problems = problemsOf(s);
    expect(problems.some((p) => p.startsWith("models[0].profiles.ticket-triage.selfNoise: selfNoise 0.3 is impossible"))).toBe(true);
    expect(problems).toContain('models[0].profiles.no-such-family: no family named "no-such-family"');
    expect(problems).toContain('baseline: no model named "gpt-5"');
  });

  it("stops start-up with the file and the field", async () => {
    const s = raw("safe-candidate");
    (s.models[0] as unknown as Record<string, unknown>).latency = { tokensPerSecond: 0 };
    await expect(startSimulator({ scenario: s, seed: 1, port: 0 })).rejects.toThrow(/models\[0\]\.latency\.tokensPerSecond: must be > 0/);
    await expect(startSimulator({ scenario: `${DIR}missing.json`, seed: 1, port: 0 })).rejects.toThrow(/missing\.json/);
  });
});

describe("shipped scenarios mean what their names say", () => {
  const truths = (name: string, candidate: string) => {
    const s = load(name);
    return s.families.map((f) => groundTruth(s, f.name, s.baseline!, candidate));
  };

  it("safe-candidate passes every axis with room to spare", () => {
    for (const t of truths("safe-candidate", "gpt-4o-mini")) {
      expect(t.withinMargin).toBe(true);
      for (const a of [t.format, t.categorical, t.semantic]) expect(a.gap).toBeLessThan(0.01);
    }
  });

  it("unsafe-candidate fails every applicable axis clearly", () => {
    for (const t of truths("unsafe-candidate", "tiny-model")) {
      for (const a of [t.format, t.categorical, t.semantic].filter((x) => x.applicable)) expect(a.gap).toBeGreaterThan(0.1);
    }
  });

  it("margin scenarios sit 0.02 inside and outside the margin on their axis", () => {
    const cases = [
      ["margin-format", "format-inside", "format-outside", "format"],
      ["margin-categorical", "label-inside", "label-outside", "categorical"],
      ["margin-semantic", "drift-inside", "drift-outside", "semantic"],
    ] as const;
    for (const [name, inside, outside, axis] of cases) {
      for (const t of truths(name, inside)) {
        expect(t[axis].gap).toBeCloseTo(0.03, 2);
        expect(t.withinMargin).toBe(true);
      }
      for (const t of truths(name, outside)) {
        expect(t[axis].gap).toBeCloseTo(0.07, 2);
        expect(t[axis].withinMargin).toBe(false);
      }
    }
  });

  it("noisy-baseline has a semantic band of about 0.8 and an equal candidate", () => {
    for (const t of truths("noisy-baseline", "gpt-4o-mini")) {
      expect(t.semantic.band).toBeGreaterThan(0.78);
      expect(t.semantic.band).toBeLessThan(0.82);
      expect(t.withinMargin).toBe(true);
    }
  });

  it("format-only fails on format alone", () => {
    for (const t of truths("format-only", "sloppy-formatter")) {
      expect(t.format.withinMargin).toBe(false);
      expect(t.categorical.gap).toBeCloseTo(0, 6);
      expect(t.semantic.gap).toBeCloseTo(0, 6);
    }
  });

  it("two-provider puts the baseline on OpenAI and the candidate on Anthropic", () => {
    const s = load("two-provider");
    expect(s.models.find((m) => m.name === s.baseline)?.provider).toBe("openai");
    expect(s.models.find((m) => m.name === s.candidates![0])?.provider).toBe("anthropic");
    for (const t of truths("two-provider", s.candidates![0]!)) expect(t.withinMargin).toBe(true);
  });
});
