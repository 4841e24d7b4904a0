import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject } from "ajv";
import { DEFAULT_PROFILE, profileProblem, type BehaviourProfile } from "./behaviour.ts";
import type { FamilyKind } from "./families/types.ts";

export type JudgeProfile = { noise: number; positionBias: number };
export type Margins = { format: number; categorical: number; semantic: number };
export type FaultProfile = {
  rate429: number;
  rate500: number;
  rate529: number;
  timeoutRate: number;
  streamCutRate: number;
  retryAfterSeconds: number;
  timeoutMs: number;
};
export type LatencyProfile = { ttftMs: number; ttftJitterMs: number; tokensPerSecond: number };

export type ScenarioFamily = {
  name: string;
  kind: FamilyKind | "recorded";
  dataset?: { source: "mmlu_pro" | "llm_stability" | "structured_rag" | "routellm_gsm8k"; task?: string; category?: string };
};
export type ScenarioModel = {
  name: string;
  provider: "openai" | "anthropic";
  price?: { input: number; output: number };
  latency?: Partial<LatencyProfile>;
  faults?: Partial<FaultProfile>;
  judge?: Partial<JudgeProfile>;
  recorded?: { model: string };
  profiles?: Record<string, Partial<BehaviourProfile>>;
};
export type Scenario = {
  name: string;
  description?: string;
  baseline?: string;
  candidates?: string[];
  margins?: Partial<Margins>;
  judge?: Partial<JudgeProfile>;
  families: ScenarioFamily[];
  models: ScenarioModel[];
};

export const NO_FAULTS: FaultProfile = {
  rate429: 0, rate500: 0, rate529: 0, timeoutRate: 0, streamCutRate: 0, retryAfterSeconds: 1, timeoutMs: 600_000,
};
export const DEFAULT_LATENCY: LatencyProfile = { ttftMs: 250, ttftJitterMs: 100, tokensPerSecond: 80 };
export const DEFAULT_MARGINS: Margins = { format: 0.05, categorical: 0.05, semantic: 0.05 };

export const SCHEMA_PATH = new URL("../scenario.schema.json", import.meta.url);
const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true }).compile(schema);

export class ScenarioError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`invalid scenario ${source}:\n  ${problems.join("\n  ")}`);
    this.name = "ScenarioError";
    this.problems = problems;
  }
}

/** "/models/1/profiles/triage/selfNoise" -> "models[1].profiles.triage.selfNoise" */
function fieldPath(pointer: string): string {
  const parts = pointer.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let out = "";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || "(root)";
}

function describe(e: ErrorObject): string {
  const path = fieldPath(e.instancePath);
  if (e.keyword === "additionalProperties") {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    return `${path === "(root)" ? extra : `${path}.${extra}`}: unknown field`;
  }
  if (e.keyword === "required") {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    return `${path === "(root)" ? missing : `${path}.${missing}`}: is required`;
  }
  if (e.keyword === "enum") return `${path}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
  return `${path}: ${e.message ?? e.keyword}`;
}

/** Validates a parsed scenario; throws ScenarioError naming every bad field. */
export function validateScenario(value: unknown, source = "(inline)"): Scenario {
  if (!validate(value)) throw new ScenarioError(source, (validate.errors ?? []).map(describe));
  const s = value as Scenario;
  const problems: string[] = [];
  const familyNames = new Set<string>();
  s.families.forEach((f, i) => {
    if (familyNames.has(f.name)) problems.push(`families[${i}].name: duplicate family "${f.name}"`);
    familyNames.add(f.name);
    if (f.kind === "recorded" && !f.dataset) problems.push(`families[${i}].dataset: is required for kind "recorded"`);
  });
  const modelNames = new Set<string>();
  s.models.forEach((m, i) => {
    if (modelNames.has(m.name)) problems.push(`models[${i}].name: duplicate model "${m.name}"`);
    modelNames.add(m.name);
    for (const [fam, p] of Object.entries(m.profiles ?? {})) {
      const at = `models[${i}].profiles.${fam}`;
      if (fam !== "*" && !familyNames.has(fam)) problems.push(`${at}: no family named "${fam}"`);
      const problem = profileProblem({ ...DEFAULT_PROFILE, ...p });
      if (problem) problems.push(`${at}.selfNoise: ${problem}`);
    }
  });
  if (s.baseline && !modelNames.has(s.baseline)) problems.push(`baseline: no model named "${s.baseline}"`);
  (s.candidates ?? []).forEach((c, i) => {
    if (!modelNames.has(c)) problems.push(`candidates[${i}]: no model named "${c}"`);
  });
  if (problems.length) throw new ScenarioError(source, problems);
  return s;
}

/** Accepts a parsed scenario or a path to a JSON file. */
export function loadScenario(scenario: Scenario | string | URL): Scenario {
  if (typeof scenario !== "string" && !(scenario instanceof URL)) return validateScenario(scenario);
  const source = String(scenario);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(scenario, "utf8"));
  } catch (e) {
    throw new ScenarioError(source, [`(file): ${(e as Error).message}`]);
  }
  return validateScenario(parsed, source);
}

export function profileOf(s: Scenario, model: string, family: string): BehaviourProfile {
  const m = s.models.find((x) => x.name === model);
  return { ...DEFAULT_PROFILE, ...m?.profiles?.["*"], ...m?.profiles?.[family] };
}

export function judgeOf(s: Scenario, model: string): JudgeProfile {
  const m = s.models.find((x) => x.name === model);
  return { noise: 0, positionBias: 0, ...s.judge, ...m?.judge };
}

export function marginsOf(s: Scenario, override?: Partial<Margins>): Margins {
  return { ...DEFAULT_MARGINS, ...s.margins, ...override };
}
