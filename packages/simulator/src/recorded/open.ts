import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SimulatorCore } from "../engine.ts";
import type { AnswerReader } from "../judge.ts";
import type { SimReply, SimRequest } from "../request.ts";
import { rngFor } from "../rng.ts";
import type { Scenario, ScenarioFamily } from "../scenario.ts";
import { toolCallFor } from "../engine.ts";
import { finalLetter, loadMmlu, mmluFile, mmluPrompt, mmluQuestionOf, type MmluRecord } from "./mmlu.ts";
import { loadStability, stabilityAnswer, type StabilityRecord } from "./stability.ts";
import { stabilityModels } from "./stability-models.ts";
import { openMoreRecorded, type MoreRecordedStore } from "./more-sources.ts";
import type { RecordedStore } from "./store.ts";

/** PROOFGATE_DATASETS, else ../shared/datasets beside the repository root. */
export function defaultDatasetsDir(): string {
  return process.env.PROOFGATE_DATASETS ?? fileURLToPath(new URL("../../../../../shared/datasets/", import.meta.url));
}

type MmluFamily = { kind: "mmlu"; def: ScenarioFamily; models: Map<string, Map<string, MmluRecord>>; byQuestion: Map<string, string[]> };
type StabilityFamily = { kind: "stability"; def: ScenarioFamily; models: Map<string, Map<string, StabilityRecord>> };
type Loaded = MmluFamily | StabilityFamily;

export type RecordedRequest = { prompt: string; model: string; body: { model: string; messages: { role: string; content: string }[]; temperature: number; max_tokens: number } };

export class DatasetStore implements RecordedStore {
  readonly families: Loaded[];
  /** structured_rag and routellm_gsm8k families (more-sources.ts) */
  readonly more: MoreRecordedStore | null;
  constructor(families: Loaded[], more: MoreRecordedStore | null = null) {
    this.families = families;
    this.more = more;
  }

  private mmluRecord(f: MmluFamily, text: string, model: string | null): MmluRecord | null {
    const q = mmluQuestionOf(text);
    if (q === null) return null;
    for (const id of f.byQuestion.get(q) ?? []) {
      const maps = model ? [f.models.get(model)] : [...f.models.values()];
      for (const m of maps) {
        const r = m?.get(id);
        // the same question text can come with other options: match on them too
        if (r && r.options.every((o) => text.includes(o))) return r;
      }
    }
    return null;
  }

  respond(core: SimulatorCore, req: SimRequest): SimReply | null {
    const more = this.more?.respond(core, req);
    if (more) return more;
    for (const f of this.families) {
      if (f.kind === "mmlu") {
        if (!f.models.has(req.model)) continue;
        const r = this.mmluRecord(f, req.user, req.model);
        if (!r) continue;
        // one recorded sample per model and question: every replay returns it
        core.nextSampleKey(req, `mmlu:${r.id}`);
        return { text: r.output, toolCall: toolCallFor(req, r.output), kind: "recorded", family: f.def.name };
      }
      const rec = f.models.get(req.model)?.get(req.user);
      if (!rec) continue;
      const key = core.nextSampleKey(req, `stability:${req.user}`);
      const n = Number(key.split(":")[1]);
      // live traffic walks the runs from run 0; replay n serves runs 1, 2, ... in turn, never run 0, so a
      // replay never repeats the capture of a prompt's first request
      const run = key.startsWith("replay:") ? 1 + (n % Math.max(1, rec.runs.length - 1)) : n % rec.runs.length;
      const text = rec.runs[run] ?? rec.runs[0] ?? "";
      return { text, toolCall: toolCallFor(req, text), kind: "recorded", family: f.def.name };
    }
    return null;
  }

  reader(task: string): AnswerReader | null {
    const more = this.more?.reader(task);
    if (more) return more;
    for (const f of this.families) {
      if (f.kind === "mmlu") {
        const r = this.mmluRecord(f, task, null);
        if (r) return { decode: (t) => letterMeaning(finalLetter(t)), truth: () => r.answer };
        continue;
      }
      for (const [user, rec] of f.models.values().next().value ?? []) {
        if (task.includes(user)) return { decode: (t) => letterMeaning(stabilityAnswer(t)), truth: () => rec.gold };
      }
    }
    return null;
  }

  /** N requests of a recorded family, on prompts every model of the family has outputs for. */
  traffic(opts: { family: string; n: number; seed: number | string; model: string }): RecordedRequest[] {
    const f = this.families.find((x) => x.def.name === opts.family);
    if (!f) throw new Error(`no recorded family ${opts.family}`);
    const maps = [...f.models.values()] as Map<string, unknown>[];
    const shared = [...(maps[0]?.keys() ?? [])].filter((k) => maps.every((m) => m.has(k))).sort();
    const chosen = rngFor("recorded-traffic", opts.seed, opts.family).shuffle(shared).slice(0, opts.n);
    return chosen.map((key) => {
      let messages: { role: string; content: string }[];
      if (f.kind === "mmlu") {
        const p = mmluPrompt(f.models.values().next().value!.get(key)!);
        messages = [{ role: "system", content: p.system }, { role: "user", content: p.user }];
      } else {
        messages = f.models.values().next().value!.get(key)!.messages;
      }
      return { prompt: opts.family, model: opts.model, body: { model: opts.model, messages, temperature: 0, max_tokens: 1024 } };
    });
  }
}

function letterMeaning(letter: string | null) {
  return letter === null ? null : { label: letter, content: "" };
}

export async function openRecordedStore(scenario: Scenario, dir = defaultDatasetsDir()): Promise<DatasetStore> {
  if (!existsSync(dir)) throw new Error(`datasets directory not found: ${dir} (set PROOFGATE_DATASETS)`);
  const families: Loaded[] = [];
  for (const def of scenario.families) {
    if (def.kind !== "recorded" || !def.dataset) continue;
    const recordedModels = scenario.models.filter((m) => m.recorded);
    if (def.dataset.source === "mmlu_pro") {
      const f: MmluFamily = { kind: "mmlu", def, models: new Map(), byQuestion: new Map() };
      for (const m of recordedModels) {
        if (!existsSync(join(dir, "mmlu_pro", mmluFile(m.recorded!.model)))) continue;
        let records = loadMmlu(dir, m.recorded!.model);
        if (def.dataset.category) records = new Map([...records].filter(([, r]) => r.category === def.dataset!.category));
        f.models.set(m.name, records);
        for (const r of records.values()) {
          const ids = f.byQuestion.get(r.question) ?? [];
          if (!ids.includes(r.id)) ids.push(r.id);
          f.byQuestion.set(r.question, ids);
        }
      }
      if (!f.models.size) throw new Error(`family ${def.name}: no model of the scenario has MMLU-Pro outputs in ${dir}`);
      families.push(f);
    } else if (def.dataset.source === "llm_stability") {
      const f: StabilityFamily = { kind: "stability", def, models: new Map() };
      const withRuns = recordedModels.filter((m) => stabilityModels(dir).has(m.recorded!.model));
      for (const m of withRuns) f.models.set(m.name, loadStability(dir, m.recorded!.model, def.dataset.task ?? "navigate"));
      families.push(f);
    }
  }
  return new DatasetStore(families, openMoreRecorded(scenario, dir));
}
