/**
 * The judge wire protocol, shared by the engine (which builds judge requests) and the simulator (which
 * recognises and answers them). Change it in one place only: here.
 *
 * A judge request is an ordinary chat request to the judging model (the baseline) with:
 *  - a system message whose first line is JUDGE_MARKER followed by the kind, e.g.
 *    "proofgate-judge: categorical" or "proofgate-judge: semantic";
 *  - one user message holding the task and the two answers in tagged blocks:
 *      <task>...</task>
 *      <answer_a>...</answer_a>
 *      <answer_b>...</answer_b>
 *    Model names never appear (blind); which answer is the reference alternates between the two orders;
 *  - on the OpenAI wire, response_format {type: "json_schema", json_schema: {name: JUDGE_SCHEMA_NAME[kind]}};
 *    on the Anthropic wire, one tool named JUDGE_SCHEMA_NAME[kind] forced with tool_choice.
 * The reply is JSON matching the schema: {"verdict": <one of JUDGE_VERDICTS[kind]>, "reason": "..."}.
 */
export const JUDGE_MARKER = "proofgate-judge:";

export const JUDGE_KINDS = ["categorical", "semantic"] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

export const JUDGE_SCHEMA_NAME: Record<JudgeKind, string> = {
  categorical: "proofgate_categorical_judgment",
  semantic: "proofgate_semantic_judgment",
};

/** categorical: which answer is right ("both" = both acceptable). semantic: same substance and effect? */
export const JUDGE_VERDICTS = {
  categorical: ["A", "B", "both", "neither"],
  semantic: ["same", "different"],
} as const satisfies Record<JudgeKind, readonly string[]>;

export const JUDGE_TAGS = { task: "task", a: "answer_a", b: "answer_b" } as const;

/**
 * Request header the engine sets on every replay (and judge call): an integer that selects an independent
 * sample for the same request, so replays are reproducible and distinct. Providers ignore unknown headers.
 */
export const REPLAY_HEADER = "x-proofgate-replay";
