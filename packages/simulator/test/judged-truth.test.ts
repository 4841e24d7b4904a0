import {
  buildJudgeRequestPair, categoricalScore, compareLabels, inferLabelSpec, parseCategoricalVerdict, parseSemanticVerdict, semanticScore,
} from "@proofgate/parity";
import { describe, expect, it } from "vitest";
import { SimulatorCore, familyOf, generateInput, groundTruth, inputKeyOf, loadScenario, sampleOutput, type Scenario } from "../src/index.ts";
import { profileOf } from "../src/scenario.ts";

const PAIRS = 5000;
const tolerance = (p: number, n: number) => 4 * Math.sqrt((p * (1 - p)) / n);

describe(`ground truth under a flawed judge, against ${PAIRS} pairs judged by the simulator itself`, () => {
  const cases = [
    ["margin-categorical", "label-outside", "ticket-triage"],
    ["unsafe-candidate", "tiny-model", "order-extraction"],
  ] as const;
  for (const [file, candidate, familyName] of cases) {
    it(`${file}: ${candidate} on ${familyName}, judge noise 0.07, position bias 0.12`, () => {
      const loaded = loadScenario(new URL(`../../../fixtures/scenarios/${file}.json`, import.meta.url).pathname);
      const sc: Scenario = { ...loaded, judge: { noise: 0.07, positionBias: 0.12 } };
      const truth = groundTruth(sc, familyName, sc.baseline!, candidate);
      const core = new SimulatorCore(sc, 4);
      const { family } = familyOf(sc, familyName);
      const at = (i: number, model: string, key: string) => {
        const input = generateInput(family, 23, familyName, i);
        const user = family.renderInput(input);
        const out = sampleOutput({ family, familyName, input, inputKey: inputKeyOf(familyName, user), model, profile: profileOf(sc, model, familyName), seed: 4, sampleKey: key, strictJson: true });
        return { user, text: out.text };
      };
      const ask = (system: string, user: string) =>
        core.respond({ model: sc.baseline!, system, user, transcript: user, responseFormat: "json_schema", schemaName: null, tools: [], forcedTool: null, replay: null, maxTokens: null }).text;
      const spec = inferLabelSpec(Array.from({ length: 300 }, (_, i) => at(PAIRS + i, sc.baseline!, "seq:0").text));
      const sum = { cb: 0, cc: 0, sb: 0, sc: 0 };
      for (let i = 0; i < PAIRS; i++) {
        const r = at(i, sc.baseline!, "seq:0");
        const task = `${family.system}\n\n${r.user}`;
        const pair = (kind: "categorical" | "semantic", other: string) =>
          buildJudgeRequestPair(kind, { task, reference: r.text, candidate: other }).map((q) => ask(q.system, q.user));
        const categorical = (other: string) => {
          const cmp = compareLabels(spec, r.text, other);
          if (cmp.outcome !== "unequal") return cmp.outcome === "equal" ? 1 : 0;
          const [a, b] = pair("categorical", other).map(parseCategoricalVerdict);
          if (!a?.ok || !b?.ok) throw new Error("unparsed categorical verdict");
          return categoricalScore(a.verdict, b.verdict).score;
        };
        const semantic = (other: string) => {
          const [a, b] = pair("semantic", other).map(parseSemanticVerdict);
          if (!a?.ok || !b?.ok) throw new Error("unparsed semantic verdict");
          return semanticScore(a.verdict, b.verdict).score;
        };
        const b = at(i, sc.baseline!, "replay:1").text;
        const c = at(i, candidate, "replay:1").text;
        sum.cb += categorical(b);
        sum.cc += categorical(c);
        sum.sb += semantic(b);
        sum.sc += semantic(c);
      }
      const check = (name: string, measured: number, expected: number) => {
        const tol = tolerance(expected, PAIRS);
        console.log(`${file} ${name}: measured ${measured.toFixed(4)} expected ${expected.toFixed(4)} ± ${tol.toFixed(4)} (n=${PAIRS})`);
        expect(Math.abs(measured - expected), name).toBeLessThanOrEqual(tol);
      };
      const j = truth.judged;
      check("judged categorical band", sum.cb / PAIRS, j.categorical!.band);
      check("judged categorical agreement", sum.cc / PAIRS, j.categorical!.agreement);
      // semantic scores are means of two orders, so they vary less than a 0/1 count: the binomial bound is loose
      check("judged semantic band", sum.sb / PAIRS, j.semantic.band);
      check("judged semantic agreement", sum.sc / PAIRS, j.semantic.agreement);
      // and the judge's flaws really move the scores off the perfect-judge values
      expect(Math.abs(j.semantic.band - truth.semantic.band)).toBeGreaterThan(0.005);
    });
  }
});
