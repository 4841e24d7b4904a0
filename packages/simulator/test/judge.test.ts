import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import {
  buildJudgeRequestPair, categoricalScore, parseCategoricalVerdict, parseSemanticVerdict, semanticScore,
  type JudgeKind, type JudgeRequest,
} from "@proofgate/parity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { familyOf, generateInput, inputKeyOf, loadScenario, requestBody, sampleOutput, startSimulator, type Plan, type Scenario, type Simulator } from "../src/index.ts";
import { profileOf } from "../src/scenario.ts";

const base = loadScenario(new URL("../../../fixtures/scenarios/unsafe-candidate.json", import.meta.url).pathname);
// a flawless judge, so every verdict can be checked against the hidden plans
const scenario: Scenario = {
  ...base,
  judge: { noise: 0, positionBias: 0 },
  models: [...base.models, { name: "claude-judge", provider: "anthropic", profiles: {} }],
};
let sim: Simulator;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  sim = await startSimulator({ scenario, seed: 11, port: 0, latency: false });
  openai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "x", maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: sim.url, apiKey: "x", maxRetries: 0 });
});
afterAll(() => sim.close());

async function askOpenAI(req: JudgeRequest): Promise<string> {
  const res = await openai.chat.completions.create({
    model: "gpt-4o",
    temperature: req.temperature,
    max_tokens: req.maxTokens,
    messages: [{ role: "system", content: req.system }, { role: "user", content: req.user }],
    response_format: { type: "json_schema", json_schema: { name: req.schemaName, schema: req.schema, strict: true } },
  });
  return res.choices[0]!.message.content ?? "";
}

async function askAnthropic(req: JudgeRequest): Promise<string> {
  const res = await anthropic.messages.create({
    model: "claude-judge",
    max_tokens: req.maxTokens,
    system: req.system,
    messages: [{ role: "user", content: req.user }],
    tools: [{ name: req.schemaName, input_schema: req.schema as unknown as Anthropic.Tool.InputSchema }],
    tool_choice: { type: "tool", name: req.schemaName },
  });
  const block = res.content[0];
  return block?.type === "tool_use" ? JSON.stringify(block.input) : "";
}

type Pair = { task: string; reference: string; candidate: string; refPlan: Plan; candPlan: Plan; truth: string | null };

/** A baseline output and a candidate output for the same input, with the plans that produced them. */
function pairs(family: string, n: number): Pair[] {
  const { name, family: fam } = familyOf(scenario, family);
  return Array.from({ length: n }, (_, i) => {
    const input = generateInput(fam, 5, name, i);
    const body = requestBody(fam, name, input, "gpt-4o");
    const user = body.messages[1]!.content;
    const key = inputKeyOf(name, user);
    const draw = (model: string) =>
      sampleOutput({ family: fam, familyName: name, input, inputKey: key, model, profile: profileOf(scenario, model, name), seed: 3, sampleKey: `seq:${i}` });
    const r = draw("gpt-4o");
    const c = draw("tiny-model");
    return { task: `${body.messages[0]!.content}\n\n${user}`, reference: r.text, candidate: c.text, refPlan: r.plan, candPlan: c.plan, truth: input.truth };
  });
}

function expectedScore(kind: JudgeKind, p: Pair): number {
  if (kind === "semantic") return p.refPlan.label === p.candPlan.label && p.refPlan.drift === p.candPlan.drift ? 1 : 0;
  // a disagreement only when the reference is right and the other is not
  return p.refPlan.label === p.truth && p.candPlan.label !== p.truth ? 0 : 1;
}

describe("judge requests built by the parity engine", () => {
  const cases: [string, JudgeKind][] = [
    ["ticket-triage", "categorical"], ["lead-qualification", "categorical"], ["order-extraction", "categorical"],
    ["ticket-triage", "semantic"], ["order-extraction", "semantic"], ["lead-qualification", "semantic"],
    ["meeting-summary", "semantic"], ["product-copy", "semantic"],
  ];
  for (const [family, kind] of cases) {
    it(`${kind} on ${family}: verdicts follow the hidden meaning on both wires, in both orders`, async () => {
      const all = pairs(family, 24);
      let differing = 0;
      for (const [i, p] of all.entries()) {
        const [first, second] = buildJudgeRequestPair(kind, { task: p.task, reference: p.reference, candidate: p.candidate, redact: ["gpt-4o", "tiny-model"] });
        const ask = i % 2 ? askAnthropic : askOpenAI;
        const replies = [await ask(first), await ask(second)];
        let score: number;
        if (kind === "categorical") {
          const [a, b] = replies.map((r) => parseCategoricalVerdict(r));
          if (!a?.ok || !b?.ok) throw new Error(`unparsed judge reply ${replies.join(" | ")}`);
          score = categoricalScore(a.verdict, b.verdict).score;
        } else {
          const [a, b] = replies.map((r) => parseSemanticVerdict(r));
          if (!a?.ok || !b?.ok) throw new Error(`unparsed judge reply ${replies.join(" | ")}`);
          score = semanticScore(a.verdict, b.verdict).score;
        }
        expect(score, `pair ${i}: ${p.reference} || ${p.candidate}`).toBe(expectedScore(kind, p));
        if (expectedScore(kind, p) === 0) differing++;
      }
      // the unsafe candidate must give the judge something to catch, or this test proves nothing
      expect(differing).toBeGreaterThan(0);
    });
  }

  it("reads meaning, not wording: paraphrases of one meaning are the same", async () => {
    const { name, family } = familyOf(scenario, "meeting-summary");
    const input = generateInput(family, 9, name, 0);
    const plan: Plan = { label: null, drift: null, formatError: false, strictJson: false };
    const { rngFor } = await import("../src/rng.ts");
    const texts = [1, 2, 3, 4].map((k) => family.render(input, plan, rngFor("paraphrase", k)));
    expect(new Set(texts).size).toBeGreaterThan(1);
    const [first] = buildJudgeRequestPair("semantic", { task: family.renderInput(input), reference: texts[0]!, candidate: texts[3]! });
    expect(parseSemanticVerdict(await askOpenAI(first)).ok && JSON.parse(await askOpenAI(first)).verdict).toBe("same");
  });
});

describe("answers given as tool calls", () => {
  it("mean what their arguments mean", async () => {
    const { FAMILIES } = await import("../src/index.ts");
    const args = JSON.stringify({ qualified: false, reason: "Only $5,000 to spend, below what we need." });
    const openaiCall = JSON.stringify([{ id: "call_1", type: "function", function: { name: "record", arguments: args } }]);
    const anthropicCall = JSON.stringify([{ type: "tool_use", id: "toolu_1", name: "record", input: JSON.parse(args) }]);
    const expected = { label: "no", content: "budget" };
    expect(FAMILIES.qualification.decode(args)).toEqual(expected);
    expect(FAMILIES.qualification.decode(openaiCall)).toEqual(expected);
    expect(FAMILIES.qualification.decode(anthropicCall)).toEqual(expected);
  });
});
