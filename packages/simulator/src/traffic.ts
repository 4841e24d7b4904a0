import { FAMILIES } from "./families/index.ts";
import type { Family, InputTruth } from "./families/types.ts";
import { rngFor } from "./rng.ts";
import type { Scenario } from "./scenario.ts";

export type ChatBody = {
  model: string;
  messages: { role: "system" | "user"; content: string }[];
  temperature: number;
  max_tokens: number;
  response_format?:
    | { type: "json_object" }
    | { type: "json_schema"; json_schema: { name: string; schema: Record<string, unknown>; strict: boolean } };
};
export type TrafficRequest = { prompt: string; model: string; body: ChatBody; input: InputTruth };

export function familyOf(scenario: Scenario, name: string): { name: string; family: Family<InputTruth> } {
  const def = scenario.families.find((f) => f.name === name);
  if (!def) throw new Error(`scenario ${scenario.name} has no family ${name}`);
  if (def.kind === "recorded") throw new Error(`family ${name} is recorded: use recordedTraffic`);
  return { name, family: FAMILIES[def.kind] };
}

/** The i-th input of a family for a traffic seed; pure, so tests can draw inputs without a server. */
export function generateInput(family: Family<InputTruth>, seed: number | string, familyName: string, i: number): InputTruth {
  return family.generate(rngFor("traffic", seed, familyName, i));
}

/** An OpenAI chat body asking `model` the family's template on one input, as an application would. */
export function requestBody(family: Family<InputTruth>, familyName: string, input: InputTruth, model: string): ChatBody {
  const body: ChatBody = {
    model,
    messages: [
      { role: "system", content: family.system },
      { role: "user", content: family.renderInput(input) },
    ],
    temperature: 0.2,
    max_tokens: 512,
  };
  if (family.responseFormat === "json_object") body.response_format = { type: "json_object" };
  if (family.responseFormat === "json_schema" && family.schema) {
    body.response_format = { type: "json_schema", json_schema: { name: familyName.replace(/-/g, "_"), schema: family.schema, strict: true } };
  }
  return body;
}

/**
 * N realistic client requests for one scenario family, deterministic from the seed. The model defaults to
 * the scenario's baseline. `prompt` is the name a caller would send in x-proofgate-prompt.
 */
export function generateTraffic(opts: { scenario: Scenario; family: string; n: number; seed: number | string; model?: string }): TrafficRequest[] {
  const { name, family } = familyOf(opts.scenario, opts.family);
  const model = opts.model ?? opts.scenario.baseline ?? opts.scenario.models[0]?.name ?? "";
  return Array.from({ length: opts.n }, (_, i) => {
    const input = generateInput(family, opts.seed, name, i);
    return { prompt: name, model, body: requestBody(family, name, input, model), input };
  });
}
