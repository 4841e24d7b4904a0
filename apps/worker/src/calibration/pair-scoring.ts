import {
  buildJudgeRequestPair,
  categoricalScore,
  compareLabels,
  compileContract,
  formatAgreement,
  inferContract,
  inferLabelSpec,
  parseCategoricalVerdict,
  parseSemanticVerdict,
  semanticScore,
  type ContractChecker,
  type FormatContract,
  type JudgeKind,
  type LabelSpec,
  type ParsedVerdict,
} from "@proofgate/parity";
import type { AxisScores } from "@proofgate/db";
import type { Provider } from "@proofgate/providers";
import { RetryableError } from "@proofgate/queue";
import { callJudge, type JudgeReply } from "./judge-call.ts";
import type { CalibrationDeps } from "./deps.ts";

/** The rules every pair of a calibration is scored by, inferred once from captured baseline outputs. */
export interface CalibrationSetup {
  contract: FormatContract;
  labelSpec: LabelSpec;
}

export function inferSetup(baselineOutputs: readonly string[]): CalibrationSetup {
  return { contract: inferContract(baselineOutputs), labelSpec: inferLabelSpec(baselineOutputs) };
}

// Compiling a contract builds an ajv validator; a worker judges many pairs of few calibrations.
const checkers = new Map<string, ContractChecker>();
function checkerFor(calibrationId: string, contract: FormatContract): ContractChecker {
  let checker = checkers.get(calibrationId);
  if (!checker) {
    if (checkers.size >= 64) checkers.delete(checkers.keys().next().value as string);
    checker = compileContract(contract);
    checkers.set(calibrationId, checker);
  }
  return checker;
}

// A judgment takes up to four judge calls; under a 429 storm one of them failing would otherwise throw
// away the others, already paid for, and pay them again on the retry. Replies are kept per comparison
// until the judgment is stored (a retry on another worker process still pays again: the cost of keeping
// this out of Postgres).
const paidReplies = new Map<string, JudgeReply>();
function remember(key: string, reply: JudgeReply) {
  if (paidReplies.size >= 10_000) paidReplies.delete(paidReplies.keys().next().value as string);
  paidReplies.set(key, reply);
}

/** Drops the replies kept for a comparison once its judgment is stored. */
export function forgetPaidReplies(key: string): void {
  for (const kind of ["categorical", "semantic"]) {
    for (const order of ["reference-first", "candidate-first"]) paidReplies.delete(`${key}|${kind}|${order}`);
  }
}

export interface PairInput {
  calibrationId: string;
  /** Names this comparison across attempts (the judge job's id): replies already paid for are reused. */
  key: string;
  setup: CalibrationSetup;
  /** The captured request as text: what both answers respond to. */
  task: string;
  reference: string;
  other: string;
  judge: { provider: Provider; model: string; replayIndex: string };
  /** Model names blanked out of everything the judge sees. */
  redact: readonly string[];
  signal?: AbortSignal | undefined;
}

export interface PairResult {
  scores: AxisScores;
  details: Record<string, unknown>;
  judgeCalls: number;
  costUsd: number;
}

function verdictOf<V extends string>(parsed: ParsedVerdict<V>, kind: JudgeKind): V {
  // A garbled judge reply is usually a one-off of sampling: worth one more (bounded) attempt.
  if (!parsed.ok) throw new RetryableError(`unreadable ${kind} judge reply: ${parsed.error}`);
  return parsed.verdict;
}

/**
 * Scores one (captured output, replay) pair on every axis, the same way for a baseline replay (the band)
 * and a candidate replay. Judge calls are made only where packages/parity prescribes them: categorical
 * when labels differ, semantic always; each in both orders.
 */
export async function scorePair(deps: CalibrationDeps, input: PairInput): Promise<PairResult> {
  const details: Record<string, unknown> = {};
  let judgeCalls = 0;
  let costUsd = 0;
  const judgeBoth = async (kind: JudgeKind) => {
    const requests = buildJudgeRequestPair(kind, {
      task: input.task,
      reference: input.reference,
      candidate: input.other,
      redact: input.redact,
    });
    const replies = await Promise.all(
      requests.map(async (request) => {
        const key = `${input.key}|${kind}|${request.order}`;
        const paid = paidReplies.get(key);
        if (paid) return paid;
        const reply = await callJudge(deps, input.judge, request, input.signal);
        remember(key, reply);
        return reply;
      }),
    );
    judgeCalls += replies.length;
    costUsd += replies.reduce((sum, r) => sum + r.costUsd, 0);
    return replies.map((r) => r.text) as [string, string];
  };

  const checker = checkerFor(input.calibrationId, input.setup.contract);
  const format = formatAgreement(checker, input.other);
  if (format < 1) details["format"] = { violations: checker(input.other).violations };

  let categorical: number | null = null;
  if (input.setup.labelSpec.applicable) {
    const comparison = compareLabels(input.setup.labelSpec, input.reference, input.other);
    if (comparison.outcome === "equal") categorical = 1;
    else if (comparison.outcome === "missing") categorical = 0;
    else {
      const [refFirst, candFirst] = await judgeBoth("categorical");
      const a = verdictOf(parseCategoricalVerdict(refFirst), "categorical");
      const b = verdictOf(parseCategoricalVerdict(candFirst), "categorical");
      const scored = categoricalScore(a, b);
      categorical = scored.score;
      details["categoricalJudge"] = { verdicts: [a, b], positionConsistent: scored.positionConsistent };
    }
    details["categorical"] = comparison;
  }

  const [refFirst, candFirst] = await judgeBoth("semantic");
  const a = verdictOf(parseSemanticVerdict(refFirst), "semantic");
  const b = verdictOf(parseSemanticVerdict(candFirst), "semantic");
  const semantic = semanticScore(a, b);
  details["semanticJudge"] = { verdicts: [a, b], positionConsistent: semantic.positionConsistent };

  return { scores: { format, categorical, semantic: semantic.score }, details, judgeCalls, costUsd };
}
