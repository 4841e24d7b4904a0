import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

// The gold side of the bench: each data set's own grading (MMLU-Pro's parsed `pred` against `answer`,
// RouteLLM's correctness columns, llm_stability's `gt`, StructuredRAG's failure lists and WikiQuestions'
// `answerable`), read straight from the files. Nothing here is shared with the engine or the simulator's
// judge, and nothing here is ever sent to proofgate.

// bench/ is not a workspace package: the readers' libraries are loaded as the simulator package resolves them.
const req = createRequire(new URL("../../packages/simulator/package.json", import.meta.url));
// (the few signatures used, typed here because bench/ cannot resolve the libraries' own declarations)
type TarItem = { name: string; data?: Uint8Array };
const { unzipSync, strFromU8 } = req("fflate") as { unzipSync(d: Uint8Array): Record<string, Uint8Array>; strFromU8(d: Uint8Array): string };
const { parse } = req("csv-parse/sync") as { parse(input: string, options: Record<string, unknown>): unknown };
const { parseTar } = (await import(req.resolve("nanotar"))) as { parseTar(d: Uint8Array, o?: { filter?: (f: TarItem) => boolean }): TarItem[] };

export type MmluGold = { id: string; category: string; correct: boolean; pred: string | null };

/** One model's MMLU-Pro results as the benchmark graded them: `pred` (its parsed letter, or null) against `answer`. */
export function mmluGold(dir: string, model: string): Map<string, MmluGold> {
  const zip = unzipSync(readFileSync(join(dir, "mmlu_pro", `model_outputs_${model}_5shots.zip`)));
  const rows = JSON.parse(strFromU8(Object.values(zip)[0]!)) as { question_id: number; category: string; pred: string | null; answer: string }[];
  return new Map(rows.map((r) => [String(r.question_id), { id: String(r.question_id), category: r.category, correct: r.pred === r.answer, pred: r.pred }]));
}

/** RouteLLM GSM8K: per question, whether each model's answer was graded correct. */
export function gsm8kGold(dir: string): { question: string; correct: Record<string, boolean> }[] {
  const rows = parse(readFileSync(join(dir, "routellm", "gsm8k_responses.csv"), "utf8"), { columns: true }) as Record<string, string>[];
  return rows.map((row) => ({
    question: row.prompt ?? "",
    correct: Object.fromEntries(Object.entries(row).filter(([k]) => k !== "prompt" && !k.endsWith("_response")).map(([k, v]) => [k, v === "True"])),
  }));
}

export type StabilityGold = { question: string; gold: string; answers: (string | null)[] };

/** gpt-4o's five strict-JSON runs of one llm_stability task: the `Answer` of each run and the gold `gt`. */
let archiveCache: { dir: string; data: Uint8Array } | null = null;

export function stabilityGold(dir: string, task: string): StabilityGold[] {
  if (archiveCache?.dir !== dir) archiveCache = { dir, data: gunzipSync(readFileSync(join(dir, "llm_stability", "strict_json_schema_runs.tgz"))) };
  const archive = archiveCache.data;
  const prefix = `gpt-4o_OAI-0.0-${task}-few-`;
  const files = parseTar(archive, { filter: (f) => (f.name.split("/").pop() ?? "").startsWith(prefix) && f.name.endsWith(".csv") });
  const byQuestion = new Map<string, StabilityGold>();
  for (const file of files) {
    const run = Number(/-(\d+)\.csv$/.exec(file.name)?.[1]);
    const rows = parse(new TextDecoder().decode(file.data ?? new Uint8Array()), { columns: true, relax_quotes: true }) as Record<string, string>[];
    for (const row of rows) {
      const key = row.prompt ?? "";
      const entry = byQuestion.get(key) ?? { question: key, gold: String(row.gt ?? "").trim(), answers: [] };
      let answer: string | null = null;
      try {
        answer = String((JSON.parse(row.response ?? "") as { Answer?: unknown }).Answer ?? "").trim() || null;
      } catch {
        answer = null;
      }
      entry.answers[run] = answer;
      byQuestion.set(key, entry);
    }
  }
  return [...byQuestion.values()];
}

export type RagGold = { formatOk: boolean[]; responses: string[] };

/** A StructuredRAG result file (f-string prompts): answers in WikiQuestions order, well formed unless listed as failed. */
export function ragGold(dir: string, task: string, model: string): RagGold {
  const file = JSON.parse(readFileSync(join(dir, "structured_rag", "experimental-results-9-11-24", `${task}-${model}-fstring.json`), "utf8")) as {
    all_responses: { prompt: string; response: string }[];
    failed_responses?: { prompt: string; response: string }[];
  };
  const failed = new Set((file.failed_responses ?? []).map((f) => `${f.prompt}\u0000${f.response}`));
  return {
    responses: file.all_responses.map((r) => r.response),
    formatOk: file.all_responses.map((r) => !failed.has(`${r.prompt}\u0000${r.response}`)),
  };
}

/** The data set's own success rate field of a StructuredRAG result file. */
export function ragSuccessRate(dir: string, task: string, model: string, method = "fstring"): number {
  const file = JSON.parse(readFileSync(join(dir, "structured_rag", "experimental-results-9-11-24", `${task}-${model}-${method}.json`), "utf8")) as { success_rate: number };
  return file.success_rate;
}

export function wikiAnswerable(dir: string): boolean[] {
  return (JSON.parse(readFileSync(join(dir, "structured_rag", "WikiQuestions.json"), "utf8")) as { answerable: boolean }[]).map((w) => w.answerable);
}
