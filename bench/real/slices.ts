import { loadMmlu, mmluPrompt } from "../../packages/simulator/src/recorded/mmlu.ts";
import { loadStability } from "../../packages/simulator/src/recorded/stability.ts";
import { GSM8K_SYSTEM } from "../../packages/simulator/src/recorded/gsm8k.ts";
import { STRUCTURED_RAG_TASKS, loadWikiQuestions, structuredRagPrompt } from "../../packages/simulator/src/recorded/structured-rag.ts";
import { gsm8kGold, mmluGold, ragGold, stabilityGold, wikiAnswerable } from "./gold.ts";

export type Dataset = "mmlu_pro" | "llm_stability" | "structured_rag" | "routellm_gsm8k";
export type Message = { role: string; content: string };

/** One calibration of the bench: a prompt the application sends, its baseline and candidate, and its gold. */
export type Slice = {
  /** the prompt name the application sends in x-proofgate-prompt */
  id: string;
  dataset: Dataset;
  subject: string;
  baseline: string;
  candidate: string;
  requests: Message[][];
  /** what the gold metric is, and its per-item value for each model (paired, same items) */
  gold: { metric: string; base: number[]; cand: number[] };
  /** where the band comes from */
  band: "one sample" | "real runs";
};

const kebab = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

const MMLU_PAIRS = [
  { tag: "gemini", baseline: "gemini-1.5-pro-002", candidate: "gemini-1.5-flash-002", base: "gemini-1.5-pro-002", cand: "gemini-1.5-flash-002" },
  { tag: "llama", baseline: "llama-3.1-70b-instruct", candidate: "llama-3.1-8b-instruct", base: "Meta-Llama-3_1-70B-Instruct", cand: "Meta-Llama-3_1-8B-Instruct" },
];

function mmluSlices(dir: string): Slice[] {
  const out: Slice[] = [];
  for (const pair of MMLU_PAIRS) {
    const prompts = loadMmlu(dir, pair.base);
    const other = loadMmlu(dir, pair.cand);
    const goldB = mmluGold(dir, pair.base);
    const goldC = mmluGold(dir, pair.cand);
    const categories = [...new Set([...prompts.values()].map((r) => r.category))].sort();
    for (const category of categories) {
      const ids = [...prompts.keys()].filter((id) => prompts.get(id)!.category === category && other.has(id) && goldC.has(id)).sort();
      out.push({
        id: `mmlu-${pair.tag}-${kebab(category)}`,
        dataset: "mmlu_pro",
        subject: category,
        baseline: pair.baseline,
        candidate: pair.candidate,
        requests: ids.map((id) => {
          const p = mmluPrompt(prompts.get(id)!);
          return [{ role: "system", content: p.system }, { role: "user", content: p.user }];
        }),
        gold: { metric: "accuracy", base: ids.map((id) => +goldB.get(id)!.correct), cand: ids.map((id) => +goldC.get(id)!.correct) },
        band: "one sample",
      });
    }
  }
  return out;
}

export const STABILITY_TASKS = ["college_mathematics", "high_school_european_history", "logical_deduction", "navigate", "professional_accounting", "public_relations", "ruin_names"];

function stabilitySlices(dir: string): Slice[] {
  return STABILITY_TASKS.map((task): Slice => {
    const records = [...loadStability(dir, "gpt-4o", task).values()];
    const gold = new Map(stabilityGold(dir, task).map((g) => [JSON.stringify(JSON.parse(g.question)), g]));
    const items = records.map((r) => gold.get(JSON.stringify(r.messages))!);
    // gold is written "(B)" or "No", answers "B" or "No"
    const bare = (x: string) => x.replace(/[()\s]/g, "").toLowerCase();
    const right = (a: string | null, g: string) => (a !== null && bare(a) === bare(g) ? 1 : 0);
    return {
      id: `stability-${kebab(task)}`,
      dataset: "llm_stability",
      subject: task,
      baseline: "gpt-4o",
      candidate: "gpt-4o-rerun",
      requests: records.map((r) => r.messages),
      // the capture is run 0; the candidate's replays are the other runs, so its gold is their mean
      gold: {
        metric: "accuracy",
        base: items.map((g) => right(g.answers[0] ?? null, g.gold)),
        cand: items.map((g) => g.answers.slice(1).reduce((a, x) => a + right(x ?? null, g.gold), 0) / Math.max(1, g.answers.length - 1)),
      },
      band: "real runs",
    };
  });
}

function ragSlices(dir: string): Slice[] {
  const items = loadWikiQuestions(dir);
  const answerable = wikiAnswerable(dir);
  return STRUCTURED_RAG_TASKS.map((task): Slice => {
    const b = ragGold(dir, task, "gpt-4o");
    const c = ragGold(dir, task, "llama3:instruct");
    // answerability has gold labels: a right answer is well formed and says what WikiQuestions says
    const score = (g: typeof b) =>
      task === "AssessAnswerability"
        ? g.formatOk.map((ok, i) => +(ok && (JSON.parse(g.responses[i]!) as { answerable_question: unknown }).answerable_question === answerable[i]))
        : g.formatOk.map((ok) => +ok);
    return {
      id: `rag-${kebab(task)}`,
      dataset: "structured_rag",
      subject: task,
      baseline: "gpt-4o",
      candidate: "llama3-8b-instruct",
      requests: items.map((item) => {
        const p = structuredRagPrompt(task, item);
        return [{ role: "system", content: p.system }, { role: "user", content: p.user }];
      }),
      gold: { metric: task === "AssessAnswerability" ? "accuracy" : "format success", base: score(b), cand: score(c) },
      band: "one sample",
    };
  });
}

function gsm8kSlice(dir: string): Slice {
  const rows = gsm8kGold(dir);
  return {
    id: "gsm8k",
    dataset: "routellm_gsm8k",
    subject: "GSM8K",
    baseline: "gpt-4-1106-preview",
    candidate: "mixtral-8x7b-instruct",
    requests: rows.map((r) => [{ role: "system", content: GSM8K_SYSTEM }, { role: "user", content: r.question }]),
    gold: {
      metric: "accuracy",
      base: rows.map((r) => +(r.correct["gpt-4-1106-preview"] ?? false)),
      cand: rows.map((r) => +(r.correct["mistralai/Mixtral-8x7B-Instruct-v0.1"] ?? false)),
    },
    band: "one sample",
  };
}

export function allSlices(dir: string, only?: RegExp): Slice[] {
  return [...mmluSlices(dir), ...stabilitySlices(dir), ...ragSlices(dir), gsm8kSlice(dir)].filter((s) => !only || only.test(s.id));
}
