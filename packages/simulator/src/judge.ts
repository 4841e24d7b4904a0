import { JUDGE_KINDS, JUDGE_MARKER, JUDGE_SCHEMA_NAME, JUDGE_TAGS, JUDGE_VERDICTS, type JudgeKind } from "@proofgate/parity";
import type { SimulatorCore } from "./engine.ts";
import { FAMILIES } from "./families/index.ts";
import type { Meaning } from "./families/types.ts";
import type { SimReply, SimRequest } from "./request.ts";
import { hashKey, uniform } from "./rng.ts";
import { judgeOf } from "./scenario.ts";

/**
 * How the simulator recognises a judge request (see @proofgate/parity judging/protocol.ts): the system text
 * starts with JUDGE_MARKER and a kind; the user message holds <task>, <answer_a> and <answer_b> blocks.
 * The schema name (OpenAI) or forced tool (Anthropic) is not needed to recognise it, only to answer in kind.
 */
export function isJudgeRequest(req: Pick<SimRequest, "system">): boolean {
  return req.system.trimStart().startsWith(JUDGE_MARKER);
}

export function judgeKindOf(system: string): JudgeKind | null {
  const first = system.trimStart().split("\n")[0] ?? "";
  const kind = first.slice(JUDGE_MARKER.length).trim().split(/\s+/)[0];
  return (JUDGE_KINDS as readonly string[]).includes(kind ?? "") ? (kind as JudgeKind) : null;
}

function tag(text: string, name: string): string | null {
  const m = new RegExp(`<${name}>\\n?([\\s\\S]*?)\\n?</${name}>`).exec(text);
  return m ? (m[1] as string) : null;
}

/** Reads meaning from answer texts: a scenario family's reader, or a recorded dataset's. */
export type AnswerReader = {
  decode(text: string): Meaning | null;
  /** the right label, read from the task as the model read the prompt; null when it cannot be known */
  truth(task: string): string | null;
};

function familyReader(core: SimulatorCore, task: string, a: string, b: string): AnswerReader | null {
  const recorded = core.recorded?.reader(task);
  if (recorded) return recorded;
  const hit = core.recognise({ system: task, transcript: task });
  const all = core.scenario.families.filter((f) => f.kind !== "recorded").map((f) => FAMILIES[f.kind as keyof typeof FAMILIES]);
  // without the instruction in the task, the family whose input the task holds, then any that reads both
  const candidates = hit ? [hit.family] : [...all.filter((f) => f.parseInput(task) !== null), ...all];
  for (const family of candidates) {
    // the engine may show bare labels rather than whole outputs; read those as the label itself
    const decode = (text: string): Meaning | null => {
      const bare = text.trim().toLowerCase().replace(/[."'`*]/g, "");
      if (family.labels?.includes(bare)) return { label: bare, content: "" };
      if (family.labels && (bare === "true" || bare === "false")) return { label: bare === "true" ? "yes" : "no", content: "" };
      return family.decode(text);
    };
    if (!hit && (decode(a) === null || decode(b) === null)) continue;
    return { decode, truth: (t) => family.parseInput(t)?.truth ?? null };
  }
  return null;
}

export type JudgeVerdict = { verdict: string; ideal: string; biased: boolean; noisy: boolean };

/** The verdict a perfect judge gives, from meanings only. */
export function idealVerdict(kind: JudgeKind, a: Meaning | null, b: Meaning | null, truth: string | null): string {
  if (kind === "semantic") {
    if (!a || !b) return "different";
    return a.label === b.label && a.content === b.content ? "same" : "different";
  }
  const la = a?.label ?? null;
  const lb = b?.label ?? null;
  if (truth === null) return la !== null && la === lb ? "both" : "neither";
  const okA = la === truth;
  const okB = lb === truth;
  return okA && okB ? "both" : okA ? "A" : okB ? "B" : "neither";
}

/**
 * Applies the judging model's flaws. Position bias (categorical only): with probability positionBias the
 * judge picks answer A whatever it says. Otherwise, with probability noise, it gives a verdict other than
 * the right one, uniformly among the rest.
 */
export function flawedVerdict(kind: JudgeKind, ideal: string, judge: { noise: number; positionBias: number }, key: readonly (string | number)[]): JudgeVerdict {
  if (kind === "categorical" && uniform(...key, "position-bias") < judge.positionBias) {
    return { verdict: "A", ideal, biased: true, noisy: false };
  }
  if (uniform(...key, "judge-noise") < judge.noise) {
    const others = JUDGE_VERDICTS[kind].filter((v) => v !== ideal);
    const verdict = others[Math.floor(uniform(...key, "judge-noise-pick") * others.length)] as string;
    return { verdict, ideal, biased: false, noisy: true };
  }
  return { verdict: ideal, ideal, biased: false, noisy: false };
}

const REASONS: Record<string, string> = {
  A: "Answer A gives the right answer for the task; answer B does not.",
  B: "Answer B gives the right answer for the task; answer A does not.",
  both: "Both answers are acceptable for the task.",
  neither: "Neither answer is right for the task.",
  same: "Both answers carry the same substance and would have the same effect downstream.",
  different: "The answers differ in substance: acting on one would not be the same as acting on the other.",
};

export function answerJudge(core: SimulatorCore, req: SimRequest): SimReply {
  const kind = judgeKindOf(req.system) ?? "semantic";
  const task = tag(req.user, JUDGE_TAGS.task) ?? "";
  const a = tag(req.user, JUDGE_TAGS.a) ?? "";
  const b = tag(req.user, JUDGE_TAGS.b) ?? "";
  const reader = familyReader(core, task, a, b);
  let ideal: string;
  if (reader) {
    const [ma, mb] = [reader.decode(a), reader.decode(b)];
    // two identical answers carry the same substance even when no meaning can be read from them (a recorded
    // chain of thought with no final answer, replayed as itself)
    const same = kind === "semantic" && ma === null && mb === null && a.trim() === b.trim();
    ideal = same ? "same" : idealVerdict(kind, ma, mb, kind === "categorical" ? reader.truth(task) : null);
  } else {
    // nothing to read meaning from: compare the texts themselves, as a careful reader of unknown content would
    const same = a.trim().replace(/\s+/g, " ") === b.trim().replace(/\s+/g, " ");
    ideal = kind === "semantic" ? (same ? "same" : "different") : same ? "both" : "neither";
  }
  const sampleKey = core.nextSampleKey(req, hashKey("judge", req.user).slice(0, 16));
  const key = [core.seed, req.model, "judge", hashKey(req.user).slice(0, 24), sampleKey];
  const { verdict } = flawedVerdict(kind, ideal, judgeOf(core.scenario, req.model), key);
  const body = JSON.stringify({ verdict, reason: REASONS[verdict] ?? "" });
  const tool = req.forcedTool ?? (req.tools.some((t) => t.name === JUDGE_SCHEMA_NAME[kind]) ? JUDGE_SCHEMA_NAME[kind] : null);
  return { text: body, toolCall: tool ? { name: tool, arguments: body } : null, kind: "judge", family: null };
}
