import { getReplays, getSampledCapture, type CalibrationBatchRow, type Db, type JudgmentRow } from "@proofgate/db";
import { selectDisagreementExamples, type AxisName, type DisagreementExample } from "@proofgate/parity";
import { replayJobId } from "@proofgate/queue";
import { answerText, taskText } from "@proofgate/providers";

const AXES: readonly AxisName[] = ["format", "categorical", "semantic"];
const PER_AXIS = 3;
// Enough to recognise the case in the report; the whole exchange stays in the captures and replays.
const clip = (text: string) => (text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text);

function noteOf(axis: AxisName, details: unknown): string {
  const d = (details ?? {}) as Record<string, { violations?: string[]; verdicts?: string[] } | undefined>;
  if (axis === "format") return d["format"]?.violations?.join("; ") ?? "violates the format contract";
  const verdicts = d[`${axis}Judge`]?.verdicts;
  if (verdicts) return `judge verdicts (reference first, then candidate first): ${verdicts.join(", ")}`;
  return axis === "categorical" ? "the candidate's output carries no label" : "";
}

/** The clearest disagreements of one candidate, a few per axis, with the texts a reviewer needs. */
export async function disagreementExamples(
  db: Db,
  calibrationId: string,
  candidate: string,
  batches: readonly CalibrationBatchRow[],
  judgments: readonly JudgmentRow[],
): Promise<DisagreementExample[]> {
  const picked: { axis: AxisName; judgment: JudgmentRow; score: number }[] = [];
  for (const axis of AXES) {
    const worst = judgments
      .filter((j) => j.model === candidate && j.scores[axis] !== null && (j.scores[axis] as number) < 1)
      .sort((a, b) => (a.scores[axis] as number) - (b.scores[axis] as number) || a.sample - b.sample)
      .slice(0, PER_AXIS);
    picked.push(...worst.map((judgment) => ({ axis, judgment, score: judgment.scores[axis] as number })));
  }
  if (picked.length === 0) return [];
  const replays = new Map(
    (await getReplays(db, [...new Set(picked.map(({ judgment: j }) => replayJobId({ ...j, calibrationId })))])).map((r) => [r.id, r]),
  );
  const sampled = new Map(batches.flatMap((b) => b.captures.map((c, i) => [b.firstSample + i, c] as const)));
  const examples: DisagreementExample[] = [];
  for (const { axis, judgment, score } of picked) {
    const replay = replays.get(replayJobId({ ...judgment, calibrationId }));
    const at = sampled.get(judgment.sample);
    const capture = at && (await getSampledCapture(db, at));
    if (!replay || !capture) continue;
    examples.push({
      axis,
      captureId: judgment.captureId,
      task: clip(taskText(capture.request)),
      reference: clip(answerText(capture.outputText, capture.toolCalls)),
      candidate: clip(replay.outputText ?? ""),
      score,
      note: noteOf(axis, judgment.details),
    });
  }
  return selectDisagreementExamples(examples, PER_AXIS);
}
