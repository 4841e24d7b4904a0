import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import { parsePythonStringList } from "./python-list.ts";

export type MmluRecord = { id: string; question: string; options: string[]; answer: string; category: string; output: string };

const LETTERS = "ABCDEFGHIJ";
/** The MMLU-Pro chain-of-thought instruction (its evaluation prompt), shared by every model in the data. */
export const MMLU_SYSTEM =
  "The following are multiple choice questions (with answers) about {category}. Think step by step and then finish your answer with \"the answer is (X)\" where X is the correct letter choice.";

export function mmluFile(model: string): string {
  return `model_outputs_${model}_5shots.zip`;
}

/** Reads one model's outputs in place from the zip (one JSON list inside). */
export function loadMmlu(dir: string, model: string): Map<string, MmluRecord> {
  const zip = unzipSync(readFileSync(join(dir, "mmlu_pro", mmluFile(model))));
  const entry = Object.values(zip)[0];
  if (!entry) throw new Error(`empty archive ${mmluFile(model)}`);
  const rows = JSON.parse(strFromU8(entry)) as Record<string, unknown>[];
  const out = new Map<string, MmluRecord>();
  for (const r of rows) {
    const output = String(r.model_outputs ?? r.generated_text ?? "");
    const options = Array.isArray(r.options) ? (r.options as string[]) : parsePythonStringList(String(r.options));
    out.set(String(r.question_id), {
      id: String(r.question_id),
      question: String(r.question),
      options,
      answer: String(r.answer),
      category: String(r.category),
      output,
    });
  }
  return out;
}

export function mmluPrompt(r: Pick<MmluRecord, "question" | "options" | "category">): { system: string; user: string } {
  const options = r.options.map((o, i) => `${LETTERS[i]}. ${o}`).join("\n");
  return {
    system: MMLU_SYSTEM.replace("{category}", r.category),
    user: `Question: ${r.question}\nOptions:\n${options}\nAnswer: Let's think step by step.`,
  };
}

/** The question text of a prompt built by mmluPrompt (the key the recorded outputs are served by). */
export function mmluQuestionOf(text: string): string | null {
  const m = /Question: ([\s\S]*?)\nOptions:\n/.exec(text);
  return m ? (m[1] as string) : null;
}

/**
 * The final answer letter of a chain-of-thought output, as the MMLU-Pro evaluation reads it: the last
 * "answer is (X)", else a last "Answer: X", else null (an output without a final answer).
 */
export function finalLetter(text: string): string | null {
  const all = [...text.matchAll(/answer is:?\s*\(?([A-J])\)?/gi)];
  const last = all.at(-1);
  if (last) return (last[1] as string).toUpperCase();
  const alt = [...text.matchAll(/answer:\s*\(?([A-J])\)?\b/gi)].at(-1);
  if (alt) return (alt[1] as string).toUpperCase();
  const bare = /^\s*\(?([A-J])\)?\.?\s*$/.exec(text);
  return bare ? (bare[1] as string) : null;
}
