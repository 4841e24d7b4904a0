import { existsSync } from "node:fs";
import { join } from "node:path";
import type { SimulatorCore } from "../engine.ts";
import { toolCallFor } from "../engine.ts";
import type { AnswerReader } from "../judge.ts";
import type { SimReply, SimRequest } from "../request.ts";
import type { Scenario } from "../scenario.ts";
import { GSM8K_SYSTEM, finalNumber, loadGsm8k } from "./gsm8k.ts";
import type { RecordedStore } from "./store.ts";
import {
  STRUCTURED_RAG_TASKS,
  loadStructuredRag,
  loadWikiQuestions,
  structuredRagMeaning,
  structuredRagPrompt,
  structuredRagSystem,
  type StructuredRagTask,
} from "./structured-rag.ts";

/** Sources served here rather than by DatasetStore: one recorded sample per model and prompt. */
export const MORE_SOURCES = ["structured_rag", "routellm_gsm8k"] as const;

type Source = {
  /** model name -> prompt (user text) -> recorded answer */
  answers: Map<string, Map<string, string>>;
  system: string;
  decode(text: string): { label: string | null; content: string } | null;
  truth(user: string): string | null;
};

/**
 * StructuredRAG (per task, f-string prompts) and RouteLLM GSM8K outputs. Each data set holds one sample per
 * model and prompt, so every replay of a model returns the one answer it recorded: the baseline's band is 1
 * by construction here, which the bench reports rather than hides.
 */
export class MoreRecordedStore implements RecordedStore {
  readonly sources: Source[];
  constructor(sources: Source[]) {
    this.sources = sources;
  }

  respond(core: SimulatorCore, req: SimRequest): SimReply | null {
    for (const s of this.sources) {
      if (!req.system.includes(s.system)) continue;
      const text = s.answers.get(req.model)?.get(req.user);
      if (text === undefined) continue;
      core.nextSampleKey(req, `more:${req.user.slice(0, 64)}`);
      return { text, toolCall: toolCallFor(req, text), kind: "recorded", family: null };
    }
    return null;
  }

  reader(task: string): AnswerReader | null {
    for (const s of this.sources) {
      if (!task.includes(s.system)) continue;
      const user = task.slice(task.indexOf(s.system) + s.system.length).trim();
      return { decode: s.decode, truth: () => s.truth(user) };
    }
    return null;
  }
}

/** Opens the structured_rag and routellm_gsm8k families of a scenario; null when it has none. */
export function openMoreRecorded(scenario: Scenario, dir: string): MoreRecordedStore | null {
  const sources: Source[] = [];
  const recorded = scenario.models.filter((m) => m.recorded);
  for (const def of scenario.families) {
    const source = def.dataset?.source as string | undefined;
    if (def.kind !== "recorded" || !source || !(MORE_SOURCES as readonly string[]).includes(source)) continue;
    if (source === "structured_rag") {
      const task = def.dataset?.task as StructuredRagTask;
      if (!STRUCTURED_RAG_TASKS.includes(task)) throw new Error(`family ${def.name}: unknown StructuredRAG task ${String(task)}`);
      const items = loadWikiQuestions(dir);
      const users = items.map((item) => structuredRagPrompt(task, item).user);
      const truth = new Map(items.map((item, i) => [users[i] as string, String(item.answerable)]));
      const answers = new Map<string, Map<string, string>>();
      for (const m of recorded) {
        const file = join(dir, "structured_rag", "experimental-results-9-11-24", `${task}-${m.recorded!.model}-fstring.json`);
        if (!existsSync(file)) continue;
        const run = loadStructuredRag(dir, m.recorded!.model, task);
        answers.set(m.name, new Map(run.responses.map((r, i) => [users[i] as string, r])));
      }
      sources.push({
        answers,
        system: structuredRagSystem(task),
        decode: (t) => structuredRagMeaning(task, t),
        // only answerability has a gold label in WikiQuestions
        truth: (user) => (task === "AssessAnswerability" ? (truth.get(user) ?? null) : null),
      });
    } else {
      const rows = loadGsm8k(dir);
      const answers = new Map<string, Map<string, string>>();
      for (const m of recorded) {
        const name = m.recorded!.model;
        if (!rows[0] || !(name in rows[0].responses)) continue;
        answers.set(m.name, new Map(rows.map((r) => [r.question, r.responses[name] ?? ""])));
      }
      sources.push({
        answers,
        system: GSM8K_SYSTEM,
        decode: (t) => {
          const n = finalNumber(t);
          return n === null ? null : { label: n, content: "" };
        },
        // the CSV grades answers but does not state the right number
        truth: () => null,
      });
    }
  }
  return sources.length ? new MoreRecordedStore(sources) : null;
}
