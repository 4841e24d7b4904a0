import { JUDGE_MARKER, JUDGE_SCHEMA_NAME, JUDGE_TAGS, JUDGE_VERDICTS, type JudgeKind } from "./protocol.ts";

/** Which answer the judge sees first. Every pair is judged in both orders so position bias cancels. */
export type JudgeOrder = "reference-first" | "candidate-first";
export const JUDGE_ORDERS: readonly JudgeOrder[] = ["reference-first", "candidate-first"];

/** JSON Schema of a judge reply: the structured-output schema on the OpenAI wire, the tool input on Anthropic. */
export function judgeReplySchema(kind: JudgeKind) {
  return {
    type: "object",
    properties: {
      verdict: { type: "string", enum: [...JUDGE_VERDICTS[kind]] },
      reason: { type: "string" },
    },
    required: ["verdict", "reason"],
    additionalProperties: false,
  } as const;
}

/** A provider-neutral chat request; packages/providers maps it onto the OpenAI or Anthropic wire. */
export interface JudgeRequest {
  kind: JudgeKind;
  order: JudgeOrder;
  system: string;
  user: string;
  /** Name of the json_schema response format (OpenAI) or of the forced tool (Anthropic). */
  schemaName: string;
  schema: ReturnType<typeof judgeReplySchema>;
  temperature: 0;
  maxTokens: number;
}

export interface JudgeInput {
  /** The instructions and input the two answers respond to (the captured request, rendered as text). */
  task: string;
  /** The captured baseline output. */
  reference: string;
  /** The output compared with it: a baseline replay (band) or a candidate replay. */
  candidate: string;
  order: JudgeOrder;
  /** Model and vendor names to blank out of all texts so the judge cannot tell who wrote what. */
  redact?: readonly string[];
}

const CATEGORICAL_SYSTEM = [
  `${JUDGE_MARKER} categorical`,
  "You grade two answers to the same task. They give different final labels (classification, decision or short answer).",
  "Decide which label is correct for the task, judging only the task itself, not style or length.",
  'Reply with JSON {"verdict": ..., "reason": ...} where verdict is one of:',
  '"A" (only answer A is correct), "B" (only answer B is correct), "both" (both labels are acceptable), "neither" (neither is).',
  "Keep the reason to one sentence.",
].join("\n");

const SEMANTIC_SYSTEM = [
  `${JUDGE_MARKER} semantic`,
  "You compare two answers to the same task.",
  "Decide whether they carry the same substance (facts, decisions, numbers, requested content) and would have the same effect",
  "on whoever or whatever consumes them downstream. Ignore wording, order, formatting and length when they change nothing.",
  'Reply with JSON {"verdict": ..., "reason": ...} where verdict is "same" or "different".',
  "Keep the reason to one sentence.",
].join("\n");

const SYSTEM: Record<JudgeKind, string> = { categorical: CATEGORICAL_SYSTEM, semantic: SEMANTIC_SYSTEM };

const ALL_TAGS = Object.values(JUDGE_TAGS);
const TAG_PATTERN = new RegExp(`<(/?)(${ALL_TAGS.join("|")})>`, "g");

/** Content must not be able to close or open our blocks; the simulator and the judge split on these tags. */
function neutraliseTags(text: string): string {
  return text.replace(TAG_PATTERN, "&lt;$1$2&gt;");
}

function redactNames(text: string, names: readonly string[]): string {
  let out = text;
  for (const name of names) {
    if (name.trim() === "") continue;
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(escaped, "gi"), "[model]");
  }
  return out;
}

function block(tag: string, text: string): string {
  return `<${tag}>\n${text}\n</${tag}>`;
}

function buildJudgeRequest(kind: JudgeKind, input: JudgeInput): JudgeRequest {
  const clean = (text: string) => neutraliseTags(redactNames(text, input.redact ?? []));
  const [first, second] =
    input.order === "reference-first" ? [input.reference, input.candidate] : [input.candidate, input.reference];
  const user = [
    block(JUDGE_TAGS.task, clean(input.task)),
    block(JUDGE_TAGS.a, clean(first)),
    block(JUDGE_TAGS.b, clean(second)),
  ].join("\n");
  return {
    kind,
    order: input.order,
    system: SYSTEM[kind],
    user,
    schemaName: JUDGE_SCHEMA_NAME[kind],
    schema: judgeReplySchema(kind),
    temperature: 0,
    maxTokens: 200,
  };
}

/** Blind re-judge of two outputs whose labels differ. */
export function buildCategoricalJudgeRequest(input: JudgeInput): JudgeRequest {
  return buildJudgeRequest("categorical", input);
}

/** Blind judgement of whether two outputs have the same substance and downstream effect. */
export function buildSemanticJudgeRequest(input: JudgeInput): JudgeRequest {
  return buildJudgeRequest("semantic", input);
}

/** Both orders of one comparison, the unit the engine always judges. */
export function buildJudgeRequestPair(kind: JudgeKind, input: Omit<JudgeInput, "order">): [JudgeRequest, JudgeRequest] {
  return [
    buildJudgeRequest(kind, { ...input, order: "reference-first" }),
    buildJudgeRequest(kind, { ...input, order: "candidate-first" }),
  ];
}
