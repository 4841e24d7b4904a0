import { existsSync } from "node:fs";
import OpenAI from "openai";
import { buildJudgeRequestPair, categoricalScore, parseCategoricalVerdict } from "@proofgate/parity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../src/index.ts";
import { finalLetter } from "../src/recorded/mmlu.ts";
import { defaultDatasetsDir, type DatasetStore } from "../src/recorded/open.ts";
import { stabilityAnswer } from "../src/recorded/stability.ts";

const DIR = defaultDatasetsDir();
const present = existsSync(`${DIR}/mmlu_pro`) && existsSync(`${DIR}/llm_stability`);
if (!present) console.log(`recorded-mode tests skipped: datasets directory ${DIR} is absent (set PROOFGATE_DATASETS)`);
const scenario = (name: string) => new URL(`../../../fixtures/scenarios/${name}.json`, import.meta.url).pathname;

describe.skipIf(!present)("recorded MMLU-Pro outputs", () => {
  let sim: Simulator;
  let client: OpenAI;
  let store: DatasetStore;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: scenario("recorded-mmlu-pro"), seed: 1, port: 0, latency: false });
    client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "x", maxRetries: 0 });
    store = sim.core.recorded as DatasetStore;
  });
  afterAll(() => sim.close());

  it("serves each model's recorded output for the prompt, whatever the replay index", async () => {
    const reqs = store.traffic({ family: "mmlu-pro", n: 10, seed: 1, model: "gemini-1.5-pro-002" });
    for (const r of reqs) {
      const pro = (await client.chat.completions.create(r.body as OpenAI.ChatCompletionCreateParamsNonStreaming)).choices[0]!.message.content ?? "";
      const again = (await client.chat.completions.create(r.body as OpenAI.ChatCompletionCreateParamsNonStreaming, { headers: { "x-proofgate-replay": "4" } })).choices[0]!.message.content;
      const flash = (await client.chat.completions.create({ ...(r.body as OpenAI.ChatCompletionCreateParamsNonStreaming), model: "gemini-1.5-flash-002" })).choices[0]!.message.content ?? "";
      expect(again).toBe(pro);
      expect(pro.length).toBeGreaterThan(0);
      expect(flash.length).toBeGreaterThan(0);
    }
  });

  it("pro and flash agree on the final letter about as often as the data says (66.8%)", () => {
    const f = store.families[0]!;
    if (f.kind !== "mmlu") throw new Error("expected the MMLU family");
    const pro = f.models.get("gemini-1.5-pro-002")!;
    const flash = f.models.get("gemini-1.5-flash-002")!;
    let shared = 0, same = 0;
    for (const [id, r] of pro) {
      const other = flash.get(id);
      if (!other) continue;
      shared++;
      if (finalLetter(r.output) !== null && finalLetter(r.output) === finalLetter(other.output)) same++;
    }
    // the data set's own "pred" replaces a missing answer by a random letter; reading the text does not
    console.log(`pro-flash final-letter agreement ${(same / shared).toFixed(3)} over ${shared} shared questions (data set: 0.668 on pred)`);
    expect(shared).toBeGreaterThan(11_000);
    expect(Math.abs(same / shared - 0.668)).toBeLessThan(0.03);
  });

  it("judges recorded answers from their final letters, not from any field", async () => {
    const reqs = store.traffic({ family: "mmlu-pro", n: 40, seed: 2, model: "llama-3.1-70b-instruct" });
    let checked = 0, judged = 0;
    for (const r of reqs) {
      const ask = async (model: string) => (await client.chat.completions.create({ ...(r.body as OpenAI.ChatCompletionCreateParamsNonStreaming), model })).choices[0]!.message.content ?? "";
      const [big, small] = [await ask("llama-3.1-70b-instruct"), await ask("llama-3.1-8b-instruct")];
      const [a, b] = [finalLetter(big), finalLetter(small)];
      if (a === null || b === null || a === b) continue;
      const task = r.body.messages.map((m) => m.content).join("\n\n");
      const pair = buildJudgeRequestPair("categorical", { task, reference: big, candidate: small });
      const verdicts: ("A" | "B" | "both" | "neither")[] = [];
      for (const j of pair) {
        const res = await client.chat.completions.create({
          model: "gemini-1.5-pro-002", messages: [{ role: "system", content: j.system }, { role: "user", content: j.user }],
          response_format: { type: "json_schema", json_schema: { name: j.schemaName, schema: j.schema, strict: true } },
        });
        const v = parseCategoricalVerdict(res.choices[0]!.message.content ?? "");
        if (!v.ok) throw new Error(v.error);
        verdicts.push(v.verdict);
      }
      judged++;
      const gold = store.reader(task)!.truth(task);
      const expected = a === gold ? 0 : 1; // a disagreement only when the reference (70B) is the right one
      const score = categoricalScore(verdicts[0]!, verdicts[1]!).score;
      // judge noise 0.02 and position bias 0.03 per call can flip a verdict; allow for them below
      if (score === expected) checked++;
    }
    // each call errs with probability about 0.05 (noise 0.02 + bias 0.03), so a pair errs with about 0.1
    console.log(`recorded categorical judgements matching the gold letter: ${checked} of ${judged} (tolerance: at least 75%)`);
    expect(judged).toBeGreaterThanOrEqual(10);
    expect(checked / judged).toBeGreaterThanOrEqual(0.75);
  });
});

describe.skipIf(!present)("recorded llm_stability runs (gpt-4o, temperature 0)", () => {
  it("walks the five real runs, so the baseline's band is real", async () => {
    const sim = await startSimulator({ scenario: scenario("recorded-stability"), seed: 1, port: 0, latency: false });
    try {
      const client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "x", maxRetries: 0 });
      const store = sim.core.recorded as DatasetStore;
      const reqs = store.traffic({ family: "navigate", n: 250, seed: 1, model: "gpt-4o" });
      let agree = 0;
      for (const r of reqs) {
        const body = r.body as OpenAI.ChatCompletionCreateParamsNonStreaming;
        const captured = (await client.chat.completions.create(body)).choices[0]!.message.content ?? "";
        const replay = (await client.chat.completions.create(body, { headers: { "x-proofgate-replay": "0" } })).choices[0]!.message.content ?? "";
        expect(stabilityAnswer(captured)).toMatch(/^(Yes|No)$/);
        if (stabilityAnswer(captured) === stabilityAnswer(replay)) agree++;
      }
      // run 0 against run 1 on navigate: 205 of 250 identical answers in the recorded data
      console.log(`navigate band (run 0 vs run 1): ${(agree / reqs.length).toFixed(3)}`);
      expect(agree / reqs.length).toBeCloseTo(0.82, 2);
    } finally {
      await sim.close();
    }
  });
});
