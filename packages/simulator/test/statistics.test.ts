import {
  buildJudgeRequestPair, categoricalScore, compareLabels, compileContract, formatAgreement, inferContract, inferLabelSpec,
  parseCategoricalVerdict, parseSemanticVerdict, semanticScore, type CategoricalVerdict, type SemanticVerdict,
} from "@proofgate/parity";
import { describe, expect, it } from "vitest";
import {
  FAMILY_KINDS, SimulatorCore, familyOf, generateInput, groundTruth, idealVerdict, inputKeyOf, loadScenario, requestBody, sampleOutput,
  type BehaviourProfile, type Scenario,
} from "../src/index.ts";
import { profileOf } from "../src/scenario.ts";

const N = 5000;
/** Four standard errors: a deterministic test that would fail by chance about once in 16,000 seeds. */
const tolerance = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);

function within(name: string, measured: number, expected: number, n: number): void {
  const tol = tolerance(expected, n);
  console.log(`${name}: measured ${measured.toFixed(4)} expected ${expected.toFixed(4)} ± ${tol.toFixed(4)} (n=${n})`);
  expect(Math.abs(measured - expected), name).toBeLessThanOrEqual(tol);
}

const FAMILIES = FAMILY_KINDS.map((kind) => ({ name: kind, kind }));
const PROFILE: BehaviourProfile = { formatErrorRate: 0.08, labelErrorRate: 0.15, selfNoise: 0.2, semanticDriftRate: 0.1 };
const scenario: Scenario = {
  name: "statistics",
  judge: { noise: 0.07, positionBias: 0.12 },
  families: FAMILIES,
  models: [
    { name: "model-a", provider: "openai", profiles: { "*": PROFILE } },
    { name: "model-b", provider: "openai", profiles: { "*": { formatErrorRate: 0.03, labelErrorRate: 0.06, selfNoise: 0.05, semanticDriftRate: 0.04 } } },
  ],
};

function draw(familyName: string, i: number, model: string, sampleKey: string, sc: Scenario = scenario, seed = 1) {
  const { family } = familyOf(sc, familyName);
  const input = generateInput(family, 17, familyName, i);
  const user = family.renderInput(input);
  const out = sampleOutput({ family, familyName, input, inputKey: inputKeyOf(familyName, user), model, profile: profileOf(sc, model, familyName), seed, sampleKey, strictJson: family.responseFormat !== "text" });
  return { family, input, user, ...out };
}

describe(`behaviour rates over ${N} samples are within 4 binomial standard errors of the profile`, () => {
  for (const { name } of FAMILIES) {
    it(`${name}: format errors, label errors, self-noise and semantic drift`, () => {
      let format = 0, label = 0, labelled = 0, disagree = 0, drift = 0, unreadable = 0;
      for (let i = 0; i < N; i++) {
        const first = draw(name, i, "model-a", "seq:0");
        const second = draw(name, i, "model-a", "replay:7");
        const { family, input } = first;
        if (!family.checkFormat(first.text)) format++;
        const m1 = family.decode(first.text);
        const m2 = family.decode(second.text);
        if (!m1 || !m2) { unreadable++; continue; }
        if (family.labels) {
          labelled++;
          if (m1.label !== input.truth) label++;
          if (m1.label !== m2.label) disagree++;
        }
        if (family.driftVariants > 0) {
          // what a faithful answer with the same label means
          const faithful = family.decode(family.render(input, { label: first.plan.label, drift: null, formatError: false, strictJson: false }, { next: () => 0.5, int: () => 0, pick: (x: readonly unknown[]) => x[0], chance: () => false, shuffle: (x: readonly unknown[]) => [...x] } as never));
          if (faithful?.content !== m1.content) drift++;
        }
      }
      expect(unreadable, "every output carries a readable meaning").toBe(0);
      within(`${name} format error rate`, format / N, PROFILE.formatErrorRate, N);
      if (labelled) {
        within(`${name} label error rate`, label / labelled, PROFILE.labelErrorRate, labelled);
        within(`${name} self-noise (two samples disagree)`, disagree / labelled, PROFILE.selfNoise, labelled);
      }
      if (familyOf(scenario, name).family.driftVariants > 0) within(`${name} semantic drift rate`, drift / N, PROFILE.semanticDriftRate, N);
    });
  }
});

describe(`judge flaws over ${N} judge calls`, () => {
  // judge calls go through the same request handling as HTTP, minus the socket
  const core = new SimulatorCore(scenario, 5);
  const ask = (system: string, user: string) =>
    core.respond({ model: "model-a", system, user, transcript: user, responseFormat: "json_schema", schemaName: null, tools: [], forcedTool: null, replay: null, maxTokens: null }).text;

  it("semantic judge noise: share of verdicts other than the meaning-based one", () => {
    let wrong = 0;
    for (let i = 0; i < N; i++) {
      const a = draw("summarisation", i % 500, "model-a", `seq:${i}`);
      const b = draw("summarisation", i % 500, "model-b", `seq:${i}`);
      const family = a.family;
      const ideal = idealVerdict("semantic", family.decode(a.text), family.decode(b.text), null);
      const [req] = buildJudgeRequestPair("semantic", { task: `${family.system}\n${a.user}`, reference: a.text, candidate: b.text });
      const parsed = parseSemanticVerdict(ask(req.system, req.user));
      if (!parsed.ok) throw new Error("unparsed");
      if (parsed.verdict !== ideal) wrong++;
    }
    within("semantic judge noise", wrong / N, 0.07, N);
  });

  it("categorical position bias: answer A chosen when only B is right", () => {
    // expected share of "A" = bias + (1 - bias) * noise / 3 (noise spreads over the three wrong verdicts)
    const expected = 0.12 + 0.88 * (0.07 / 3);
    let saidA = 0, asked = 0;
    for (let i = 0; asked < N; i++) {
      const { family, input, user } = draw("classification", i, "model-a", "seq:0");
      const right = family.render(input, { label: input.truth, drift: null, formatError: false, strictJson: false }, rngStub);
      const wrongText = family.render(input, { label: input.confusable, drift: null, formatError: false, strictJson: false }, rngStub);
      const [first] = buildJudgeRequestPair("categorical", { task: `${family.system}\n${user}`, reference: wrongText, candidate: right });
      const parsed = parseCategoricalVerdict(ask(first.system, first.user));
      if (!parsed.ok) throw new Error("unparsed");
      if (parsed.verdict === "A") saidA++;
      asked++;
    }
    within("categorical share of A when B is right", saidA / N, expected, N);
  });
});

const rngStub = { next: () => 0.5, int: () => 0, pick: <T,>(x: readonly T[]) => x[0] as T, chance: () => false, shuffle: <T,>(x: readonly T[]) => [...x] };

describe("ground truth formula against 12,000 pairs scored with the parity engine's own procedures", () => {
  const PAIRS = 12_000;
  const cases = [
    ["margin-categorical", "label-outside", "ticket-triage"],
    ["unsafe-candidate", "tiny-model", "order-extraction"],
    ["margin-format", "format-outside", "lead-qualification"],
    ["margin-semantic", "drift-outside", "meeting-summary"],
    ["noisy-baseline", "gpt-4o-mini", "product-copy"],
  ] as const;
  for (const [file, candidate, familyName] of cases) {
    it(`${file}: ${candidate} on ${familyName}`, () => {
      const sc = loadScenario(new URL(`../../../fixtures/scenarios/${file}.json`, import.meta.url).pathname);
      const truth = groundTruth(sc, familyName, sc.baseline!, candidate);
      const at = (i: number, model: string, key: string) => draw(familyName, i, model, key, sc, 2);
      const f = at(0, sc.baseline!, "seq:0").family;
      // the engine learns the format contract and the label reader from captured baseline outputs
      const captured = Array.from({ length: 300 }, (_, i) => at(PAIRS + i, sc.baseline!, "seq:0").text);
      const check = compileContract(inferContract(captured));
      const spec = inferLabelSpec(captured);
      expect(spec.applicable, "label reader").toBe(truth.categorical.applicable);
      const sum = { fb: 0, fc: 0, cb: 0, cc: 0, sb: 0, sc: 0 };
      for (let i = 0; i < PAIRS; i++) {
        const r = at(i, sc.baseline!, "seq:0");
        const b = at(i, sc.baseline!, "replay:1");
        const c = at(i, candidate, "replay:1");
        const mr = f.decode(r.text);
        // a perfect blind judge: verdicts from the meanings, in both orders
        const judge = (kind: "categorical" | "semantic", x: typeof r, mx: typeof mr) =>
          [idealVerdict(kind, mr, mx, r.input.truth), idealVerdict(kind, mx, mr, r.input.truth)] as const;
        const categorical = (x: typeof r) => {
          const cmp = compareLabels(spec, r.text, x.text);
          if (cmp.outcome !== "unequal") return cmp.outcome === "equal" ? 1 : 0;
          const [v1, v2] = judge("categorical", x, f.decode(x.text));
          return categoricalScore(v1 as CategoricalVerdict, v2 as CategoricalVerdict).score;
        };
        const semantic = (x: typeof r) => {
          const [v1, v2] = judge("semantic", x, f.decode(x.text));
          return semanticScore(v1 as SemanticVerdict, v2 as SemanticVerdict).score;
        };
        sum.fb += formatAgreement(check, b.text);
        sum.fc += formatAgreement(check, c.text);
        if (spec.applicable) {
          sum.cb += categorical(b);
          sum.cc += categorical(c);
        }
        sum.sb += semantic(b);
        sum.sc += semantic(c);
      }
      within(`${file} format band`, sum.fb / PAIRS, truth.format.band, PAIRS);
      within(`${file} format agreement`, sum.fc / PAIRS, truth.format.agreement, PAIRS);
      if (truth.categorical.applicable) {
        within(`${file} categorical band`, sum.cb / PAIRS, truth.categorical.band, PAIRS);
        within(`${file} categorical agreement`, sum.cc / PAIRS, truth.categorical.agreement, PAIRS);
      }
      within(`${file} semantic band`, sum.sb / PAIRS, truth.semantic.band, PAIRS);
      within(`${file} semantic agreement`, sum.sc / PAIRS, truth.semantic.agreement, PAIRS);
    });
  }
});
