import { existsSync } from "node:fs";
import OpenAI from "openai";
import { buildJudgeRequestPair } from "@proofgate/parity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../src/index.ts";
import { defaultDatasetsDir } from "../src/recorded/open.ts";
import { GSM8K_SYSTEM, finalNumber, loadGsm8k } from "../src/recorded/gsm8k.ts";
import { firstJson, loadStructuredRag, loadWikiQuestions, structuredRagMeaning, structuredRagPrompt } from "../src/recorded/structured-rag.ts";

const DIR = defaultDatasetsDir();
const present = existsSync(`${DIR}/structured_rag`) && existsSync(`${DIR}/routellm/gsm8k_responses.csv`);
if (!present) console.log(`structured_rag / GSM8K recorded tests skipped: datasets directory ${DIR} is absent (set PROOFGATE_DATASETS)`);

describe("readers of recorded answers", () => {
  it("finds JSON after a lead-in and before a note", () => {
    expect(firstJson('Here is the output in the required format:\n\n{"context_score": 4}\n\nNote: [1]')).toEqual({ context_score: 4 });
    expect(firstJson("no json here")).toBeNull();
  });
  it("reads labels leniently, as a consumer of the JSON would", () => {
    expect(structuredRagMeaning("AssessAnswerability", '{"answerable_question": "true"}')?.label).toBe("true");
    expect(structuredRagMeaning("RateContext", '{"context_score": "5"}')?.label).toBe("5");
    expect(structuredRagMeaning("RAGAS", '{"faithfulness_score": "0.0", "answer_relevance_score": 5, "context_relevance_score": "5.0"}')?.label).toBe("0/5/5");
  });
  it("reads the final number of a worked answer", () => {
    expect(finalNumber("16 - 3 - 4 = 9 eggs, 9 * $2 = $18.\nThe answer is 18.")).toBe("18");
    expect(finalNumber("It costs 1,250 dollars")).toBe("1250");
    expect(finalNumber("no number")).toBeNull();
  });
});

describe.skipIf(!present)("recorded StructuredRAG and GSM8K outputs", () => {
  let sim: Simulator;
  let client: OpenAI;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 1,
      latency: false,
      scenario: {
        name: "recorded-more",
        baseline: "gpt-4o",
        judge: { noise: 0, positionBias: 0 },
        families: [
          { name: "rate-context", kind: "recorded", dataset: { source: "structured_rag", task: "RateContext" } },
          { name: "gsm8k", kind: "recorded", dataset: { source: "routellm_gsm8k" } },
        ],
        models: [
          { name: "gpt-4o", provider: "openai", recorded: { model: "gpt-4o" } },
          { name: "llama3-8b", provider: "openai", recorded: { model: "llama3:instruct" } },
          { name: "gpt-4-1106-preview", provider: "openai", recorded: { model: "gpt-4-1106-preview" } },
        ],
      } as never,
    });
    client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "x", maxRetries: 0 });
  });
  afterAll(() => sim.close());

  const ask = async (model: string, system: string, user: string, replay?: string) =>
    (
      await client.chat.completions.create(
        { model, messages: [{ role: "system", content: system }, { role: "user", content: user }] },
        replay ? { headers: { "x-proofgate-replay": replay } } : {},
      )
    ).choices[0]!.message.content;

  it("serves each model's recorded StructuredRAG answer, the same on every replay", async () => {
    const items = loadWikiQuestions(DIR);
    const llama = loadStructuredRag(DIR, "llama3:instruct", "RateContext");
    expect(items).toHaveLength(112);
    expect(llama.formatOk.filter(Boolean)).toHaveLength(52); // the file's num_successes
    for (const i of [0, 7, 111]) {
      const p = structuredRagPrompt("RateContext", items[i]!);
      expect(await ask("llama3-8b", p.system, p.user)).toBe(llama.responses[i]);
      expect(await ask("gpt-4o", p.system, p.user, "3")).toBe(await ask("gpt-4o", p.system, p.user, "8"));
    }
  });

  it("serves GSM8K answers by question", async () => {
    const rows = loadGsm8k(DIR);
    expect(rows).toHaveLength(1319);
    const first = rows[0]!;
    expect(await ask("gpt-4-1106-preview", GSM8K_SYSTEM, first.question)).toBe(first.responses["gpt-4-1106-preview"]);
  });

  it("judges two identical answers the same even when no final answer can be read from them", async () => {
    const first = loadGsm8k(DIR)[0]!;
    const judge = async (reference: string, candidate: string) => {
      const [request] = buildJudgeRequestPair("semantic", { task: `${GSM8K_SYSTEM}\n\n${first.question}`, reference, candidate, redact: [] });
      const reply = await ask("gpt-4-1106-preview", request!.system, request!.user);
      return (JSON.parse(reply ?? "{}") as { verdict: string }).verdict;
    };
    expect(await judge("I am not sure how to solve this.", "I am not sure how to solve this.")).toBe("same");
    expect(await judge("I am not sure how to solve this.", "The answer is 18.")).toBe("different");
    expect(await judge("So she makes 18 dollars.", "The answer is 18.")).toBe("same");
  });
});
