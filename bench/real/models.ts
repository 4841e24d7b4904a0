import { STABILITY_TASKS } from "./slices.ts";
import { STRUCTURED_RAG_TASKS } from "../../packages/simulator/src/recorded/structured-rag.ts";

/**
 * The models of the bench: proofgate's name, the name inside the data set, and a list price (USD per
 * million tokens, input / output) as the providers published them; the open models at typical hosted prices.
 */
export const MODELS = [
  { name: "gemini-1.5-pro-002", recorded: "gemini-1.5-pro-002", price: [1.25, 5] },
  { name: "gemini-1.5-flash-002", recorded: "gemini-1.5-flash-002", price: [0.075, 0.3] },
  { name: "llama-3.1-70b-instruct", recorded: "Meta-Llama-3_1-70B-Instruct", price: [0.88, 0.88] },
  { name: "llama-3.1-8b-instruct", recorded: "Meta-Llama-3_1-8B-Instruct", price: [0.18, 0.18] },
  { name: "gpt-4o", recorded: "gpt-4o", price: [2.5, 10] },
  // the same model again: its replays are gpt-4o's other recorded runs (a candidate known to be as good)
  { name: "gpt-4o-rerun", recorded: "gpt-4o", price: [2.5, 10] },
  { name: "llama3-8b-instruct", recorded: "llama3:instruct", price: [0.18, 0.18] },
  { name: "gpt-4-1106-preview", recorded: "gpt-4-1106-preview", price: [10, 30] },
  { name: "mixtral-8x7b-instruct", recorded: "mistralai/Mixtral-8x7B-Instruct-v0.1", price: [0.6, 0.6] },
] as const;

const kebab = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** One simulator serving every recorded data set the bench uses (families are matched by prompt text). */
export function benchScenario() {
  return {
    name: "bench-real",
    baseline: "gemini-1.5-pro-002",
    candidates: ["gemini-1.5-flash-002"],
    judge: { noise: 0.02, positionBias: 0.03 },
    families: [
      { name: "mmlu-pro", kind: "recorded", dataset: { source: "mmlu_pro" } },
      ...STABILITY_TASKS.map((task) => ({ name: `stability-${kebab(task)}`, kind: "recorded", dataset: { source: "llm_stability", task } })),
      ...STRUCTURED_RAG_TASKS.map((task) => ({ name: `rag-${kebab(task)}`, kind: "recorded", dataset: { source: "structured_rag", task } })),
      { name: "gsm8k", kind: "recorded", dataset: { source: "routellm_gsm8k" } },
    ],
    models: MODELS.map((m) => ({ name: m.name, provider: "openai", price: { input: m.price[0], output: m.price[1] }, recorded: { model: m.recorded } })),
  } as never;
}

/** proofgate.config.json for the bench: the models and prices, the default margins, alpha and pair budget. */
export function benchConfig() {
  return {
    models: Object.fromEntries(MODELS.map((m) => [m.name, { provider: "openai", inputPerMTok: m.price[0], outputPerMTok: m.price[1] }])),
    candidates: {
      "gemini-1.5-pro-002": ["gemini-1.5-flash-002"],
      "llama-3.1-70b-instruct": ["llama-3.1-8b-instruct"],
      "gpt-4o": ["llama3-8b-instruct"],
      "gpt-4-1106-preview": ["mixtral-8x7b-instruct"],
    },
    // margins 0.05, alpha 0.05, 400 pairs, batches of 20: the defaults. The money cap is raised from $10:
    // judging long GSM8K answers with gpt-4-1106 would otherwise end that calibration on money, not evidence.
    budgets: { maxCostUsd: 100 },
  };
}
