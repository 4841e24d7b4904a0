import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { parseTar } from "nanotar";

export type StabilityRecord = {
  task: string;
  gold: string;
  messages: { role: string; content: string }[];
  /** the recorded response of each repeated run, in run order */
  runs: string[];
};

/**
 * Reads the gpt-4o repeated runs of one llm_stability task in place (strict_json_schema_runs.tgz): five full
 * runs of the same prompts at temperature 0. Only that task's CSVs are decoded.
 */
export function loadStability(dir: string, model: string, task: string): Map<string, StabilityRecord> {
  const archive = gunzipSync(readFileSync(join(dir, "llm_stability", "strict_json_schema_runs.tgz")));
  const prefix = `${model}_OAI-0.0-${task}-few-`;
  const files = parseTar(archive, { filter: (f) => f.name.split("/").pop()?.startsWith(prefix) === true && f.name.endsWith(".csv") });
  if (!files.length) throw new Error(`no runs of ${model} on ${task} in strict_json_schema_runs.tgz`);
  const out = new Map<string, StabilityRecord>();
  const runOf = (name: string) => Number(/-(\d+)\.csv$/.exec(name)?.[1] ?? 0);
  for (const file of [...files].sort((a, b) => runOf(a.name) - runOf(b.name))) {
    const rows = parse(new TextDecoder().decode(file.data), { columns: true, relax_quotes: true }) as Record<string, string>[];
    for (const row of rows) {
      const messages = JSON.parse(row.prompt ?? "[]") as { role: string; content: string }[];
      const user = messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
      const rec = out.get(user) ?? { task, gold: String(row.gt ?? ""), messages, runs: [] };
      rec.runs[runOf(file.name)] = String(row.response ?? "");
      out.set(user, rec);
    }
  }
  return out;
}

/** {"Answer": "No"} -> "No"; tolerant of fences and prose like any reader of JSON output. */
export function stabilityAnswer(text: string): string | null {
  const m = /"Answer"\s*:\s*"([^"]*)"/i.exec(text);
  if (m) return (m[1] as string).trim();
  const bare = text.trim().replace(/^["'(]|["').]$/g, "");
  return bare.length > 0 && bare.length <= 40 && !bare.includes("{") ? bare : null;
}
