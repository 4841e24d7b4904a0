/**
 * @proofgate/parity: the pure engine. Main entry points for the calibration pipeline:
 *  - format:      inferContract, compileContract, formatAgreement
 *  - categorical: inferLabelSpec, extractLabel, compareLabels
 *  - judging:     buildCategoricalJudgeRequest, buildSemanticJudgeRequest, buildJudgeRequestPair,
 *                 parseCategoricalVerdict, parseSemanticVerdict, categoricalScore, semanticScore,
 *                 equivalentOutputs, createPositionConsistency, recordPositionConsistency
 *  - statistics:  createAxisState, observeBatch / observePair (one look per call), decide
 *  - savings:     estimateSavings
 *  - report:      buildParityReport, selectDisagreementExamples
 * Every stored object (FormatContract, LabelSpec, AxisState, ParityReport) is plain JSON with a version;
 * the ones packages/db stores have a zod schema next to their type (*-schema.ts), typed by it.
 */
export * from "./axes.ts";
export * from "./judging/protocol.ts";
export * from "./judging/prompts.ts";
export * from "./judging/parse.ts";
export * from "./judging/score.ts";
export * from "./judging/shortcut.ts";
export * from "./format/extract-json.ts";
export * from "./format/infer-schema.ts";
export * from "./format/text-structure.ts";
export * from "./format/contract.ts";
export * from "./format/contract-schema.ts";
export * from "./labels/label-spec.ts";
export * from "./labels/label-spec-schema.ts";
export * from "./stats/betting.ts";
export * from "./stats/axis-state.ts";
export * from "./stats/decide.ts";
export * from "./stats/rng.ts";
export * from "./stats/intervals.ts";
export * from "./report/rates.ts";
export * from "./report/savings.ts";
export * from "./report/report.ts";
export * from "./report/report-schema.ts";
export * from "./stats/bounds.ts";
export * from "./routing/drift.ts";
export * from "./routing/drift-schema.ts";
export * from "./routing/approval.ts";
