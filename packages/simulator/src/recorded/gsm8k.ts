import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";

export type Gsm8kRow = { question: string; responses: Record<string, string>; correct: Record<string, boolean> };

/** RouteLLM's recorded GSM8K answers: per question, each model's raw answer and whether it was graded correct. */
export function loadGsm8k(dir: string): Gsm8kRow[] {
  const rows = parse(readFileSync(join(dir, "routellm", "gsm8k_responses.csv"), "utf8"), { columns: true }) as Record<string, string>[];
  return rows.map((row) => {
    const responses: Record<string, string> = {};
    const correct: Record<string, boolean> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key === "prompt") continue;
      if (key.endsWith("_response")) responses[key.slice(0, -"_response".length)] = value;
      else correct[key] = value === "True";
    }
    return { question: row.prompt ?? "", responses, correct };
  });
}

export const GSM8K_SYSTEM = "Solve the grade-school math word problem. Reason step by step, then give the final numeric answer.";

/** The final number of a worked answer: the one after "answer is" or "####" if present, else the last one. */
export function finalNumber(text: string): string | null {
  const clean = text.replace(/(\d),(\d{3})/g, "$1$2");
  const marked = [...clean.matchAll(/(?:answer is|####|answer:)\s*\$?\s*(-?\d+(?:\.\d+)?)/gi)].at(-1);
  const all = [...clean.matchAll(/-?\d+(?:\.\d+)?/g)];
  const raw = marked?.[1] ?? all.at(-1)?.[0];
  if (raw === undefined) return null;
  return String(Number(raw));
}
