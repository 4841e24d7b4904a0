import { FAMILIES, type Family, type Plan } from "./families/index.ts";
import type { InputTruth } from "./families/types.ts";
import { looseJson, stripFence } from "./families/words.ts";
import { planSample, profileProblem, type BehaviourProfile } from "./behaviour.ts";
import { answerJudge, isJudgeRequest } from "./judge.ts";
import type { RecordedStore } from "./recorded/store.ts";
import type { SimReply, SimRequest } from "./request.ts";
import { hashKey, rngFor } from "./rng.ts";
import { profileOf, type Scenario, type ScenarioFamily } from "./scenario.ts";

export type Sample = { text: string; plan: Plan };

/** Identifies an input across processes: the family and the exact prompt text it was read from. */
export function inputKeyOf(family: string, userText: string): string {
  return hashKey(family, userText).slice(0, 24);
}

/**
 * One simulated model output, without HTTP: the function the server and the statistical tests share.
 * `sampleKey` is "seq:<n>" for live traffic and "replay:<n>" for replays, so the two never collide.
 */
export function sampleOutput(args: {
  family: Family<InputTruth>;
  familyName: string;
  input: InputTruth;
  inputKey: string;
  model: string;
  profile: BehaviourProfile;
  seed: number | string;
  sampleKey: string;
  strictJson?: boolean;
}): Sample {
  const ctx = { seed: args.seed, model: args.model, family: args.familyName, inputKey: args.inputKey, sampleKey: args.sampleKey };
  const plan = planSample(args.family, args.input, args.profile, ctx, args.strictJson ?? false);
  const text = args.family.render(args.input, plan, rngFor(args.seed, args.model, args.familyName, args.inputKey, args.sampleKey, "words"));
  return { text, plan };
}

export type ProfilePatch = Partial<BehaviourProfile>;

/** The stateful part of the simulator: recognises requests, counts samples, applies run-time changes. */
export class SimulatorCore {
  readonly scenario: Scenario;
  readonly seed: number | string;
  readonly recorded: RecordedStore | null;
  private readonly counters = new Map<string, number>();
  private readonly patches = new Map<string, ProfilePatch>();

  constructor(scenario: Scenario, seed: number | string, recorded: RecordedStore | null = null) {
    this.scenario = scenario;
    this.seed = seed;
    this.recorded = recorded;
  }

  /** A model is served only on its own provider's wire, as real providers do. */
  hasModel(model: string, provider?: "openai" | "anthropic"): boolean {
    return this.scenario.models.some((m) => m.name === model && (!provider || m.provider === provider));
  }

  profile(model: string, family: string): BehaviourProfile {
    return { ...profileOf(this.scenario, model, family), ...this.patches.get(`${model}\u0000${family}`) };
  }

  /** Changes a model's behaviour from now on (drift tests). The model keeps its per-input habits. */
  setProfile(model: string, family: string, patch: ProfilePatch): void {
    const key = `${model}\u0000${family}`;
    const problem = profileProblem({ ...this.profile(model, family), ...patch });
    if (problem) throw new Error(problem);
    this.patches.set(key, { ...this.patches.get(key), ...patch });
  }

  resetProfiles(): void {
    this.patches.clear();
  }

  /** Finds the scenario family whose template instruction the request carries. */
  recognise(req: Pick<SimRequest, "system" | "transcript">): { def: ScenarioFamily; family: Family<InputTruth> } | null {
    for (const def of this.scenario.families) {
      if (def.kind === "recorded") continue;
      const family = FAMILIES[def.kind];
      if (req.system.includes(family.system) || req.transcript.includes(family.system)) return { def, family };
    }
    return null;
  }

  nextSampleKey(req: SimRequest, scope: string): string {
    if (req.replay !== null) return `replay:${req.replay}`;
    const key = `${req.model}\u0000${scope}`;
    const n = this.counters.get(key) ?? 0;
    this.counters.set(key, n + 1);
    return `seq:${n}`;
  }

  respond(req: SimRequest): SimReply {
    if (isJudgeRequest(req)) return answerJudge(this, req);
    if (this.recorded) {
      const rec = this.recorded.respond(this, req);
      if (rec) return rec;
    }
    const hit = this.recognise(req);
    const input = hit ? hit.family.parseInput(req.user) : null;
    if (!hit || !input) return this.generic(req);
    const inputKey = inputKeyOf(hit.def.name, req.user);
    const sampleKey = this.nextSampleKey(req, inputKey);
    const { text } = sampleOutput({
      family: hit.family,
      familyName: hit.def.name,
      input,
      inputKey,
      model: req.model,
      profile: this.profile(req.model, hit.def.name),
      seed: this.seed,
      sampleKey,
      // a JSON response format or a forced tool: real providers then never wrap JSON in a code fence
      strictJson: req.responseFormat !== "text",
    });
    return { text, toolCall: toolCallFor(req, text), kind: "family", family: hit.def.name };
  }

  private generic(req: SimRequest): SimReply {
    const sampleKey = this.nextSampleKey(req, hashKey(req.transcript).slice(0, 16));
    const tag = hashKey(this.seed, req.model, req.transcript, sampleKey).slice(0, 8);
    const text =
      req.responseFormat === "text"
        ? `This is a simulated reply from ${req.model} (${tag}). The prompt matched no scenario family.`
        : JSON.stringify({ result: `simulated reply ${tag}` });
    return { text, toolCall: toolCallFor(req, text), kind: "generic", family: null };
  }
}

/** A forced tool gets the output as its arguments: the JSON body when there is one, else {"answer": text}. */
export function toolCallFor(req: SimRequest, text: string): SimReply["toolCall"] {
  if (!req.forcedTool) return null;
  const json = looseJson(text);
  const args = json !== null ? stripFence(text).slice(stripFence(text).indexOf("{")).trim() : JSON.stringify({ answer: text });
  return { name: req.forcedTool, arguments: args };
}
