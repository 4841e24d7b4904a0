import { categoricalPreferences, type AxisName, type AxisReport, type CategoricalVerdict, type ParityReport } from "@proofgate/parity";
import { jsonText, type Disagreement } from "@proofgate/db";
import type { AxisChartInput } from "./views/interval-chart.ts";

export const AXIS_TITLES: Record<AxisName, string> = {
  format: "Format",
  categorical: "Labels",
  semantic: "Meaning",
};

export const AXIS_QUESTIONS: Record<AxisName, string> = {
  format: "Does the answer keep the format the baseline's answers have (the format contract)?",
  categorical: "Does the answer carry the same labels, or one a blind judge finds just as acceptable?",
  semantic: "Does the answer say the same thing with the same downstream effect, by a blind judge in both orders?",
};

const points = (x: number) => `${(x * 100).toFixed(1)}`;
const percent = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "—");

export interface AxisEvidence {
  chart: AxisChartInput;
  /** What the numbers say, in a sentence or two a person can act on; the engine's reason is kept as detail. */
  summary: string;
}

export function axisEvidence(axis: AxisReport): AxisEvidence {
  const { band, candidate, difference: gap, margin } = axis;
  const agreeing = `The candidate agrees with the baseline's answers ${percent(candidate.mean)} of the time; the baseline agrees with itself ${percent(band.mean)} of the time.`;
  let verdict: string;
  switch (axis.verdict) {
    case "pass":
      // The verdict rests on the engine's combined e-process; the interval drawn is its mixture bound, which
      // can be wider. Say so rather than print "at most 5.4, inside the 5.0 margin".
      verdict =
        gap.upperBound < margin
          ? `The gap is at most ${points(gap.upperBound)} points with confidence, inside the ${points(margin)}-point margin.`
          : `The test that the gap is under the ${points(margin)}-point margin passed; the more conservative interval drawn still reaches ${points(gap.upperBound)} points.`;
      break;
    case "fail":
      verdict =
        gap.lowerBound > margin
          ? `The gap is at least ${points(gap.lowerBound)} points with confidence, beyond the ${points(margin)}-point margin.`
          : `The test that the gap exceeds its limit failed the candidate; the more conservative interval drawn starts at ${points(gap.lowerBound)} points.`;
      break;
    default:
      verdict = `The gap lies between ${points(gap.lowerBound)} and ${points(gap.upperBound)} points: not yet clearly inside or outside the ${points(margin)}-point margin.`;
  }
  return {
    chart: {
      label: `${AXIS_TITLES[axis.axis]}: baseline agrees with itself ${percent(band.mean)} (${percent(band.low)} to ${percent(band.high)}), candidate ${percent(candidate.mean)} (${percent(candidate.low)} to ${percent(candidate.high)}); gap ${points(gap.mean)} points, between ${points(gap.lowerBound)} and ${points(gap.upperBound)}, margin ${points(margin)}.`,
      band,
      candidate,
      gap: { mean: gap.mean, low: gap.lowerBound, high: gap.upperBound },
      margin,
    },
    summary: `${agreeing} ${verdict}`,
  };
}

/** The verdict of a candidate in the words a person deciding to switch needs. */
export function verdictWords(report: ParityReport): string {
  const failing = report.axes.filter((a) => a.applicable && a.verdict === "fail").map((a) => AXIS_TITLES[a.axis].toLowerCase());
  switch (report.verdict) {
    case "pass":
      return `Safe to switch. On every axis that applies, the candidate agrees with the baseline's answers within the margin of how well the baseline agrees with itself. The chance that this is a false pass is at most ${report.alpha}, however often the evidence was looked at.`;
    case "fail":
      return `Not safe to switch. On ${failing.join(" and ")} the candidate disagrees with the baseline's answers clearly more than the baseline disagrees with itself.`;
    case "inconclusive":
      return `No verdict. ${report.reason} Keeping the baseline is the safe choice; a larger budget may settle it.`;
    case "continue":
      return "Calibration in progress: the evidence has not settled yet.";
  }
}

const preferenceWords = { reference: "prefers the baseline's answer", candidate: "prefers the candidate's answer", both: "both acceptable", neither: "neither acceptable" };
const semanticWords: Record<string, string> = { same: "same substance", different: "different substance" };

export interface ExampleView {
  axis: AxisName;
  scores: Disagreement["scores"];
  input: string | null;
  reference: string;
  candidate: string;
  /** What the judge said, with the baseline's answer shown first and with the candidate's shown first. */
  judges: { kind: "Labels" | "Meaning"; referenceFirst: string; candidateFirst: string }[];
  violations: string[];
}

/** The last user turn of a captured request: the varying input a reviewer needs for context. */
export function requestInput(request: unknown): string | null {
  const body = request as { messages?: { role?: string; content?: unknown }[]; input?: unknown } | null;
  const messages = Array.isArray(body?.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => m.role === "user");
  const content = last?.content ?? (typeof body?.input === "string" ? body.input : null);
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    // Only string parts: String() of a client's nested array recurses (Array.prototype.join) and can overflow.
    const text = content.map((part) => (typeof part === "object" && part && "text" in part && typeof part.text === "string" ? part.text : "")).join("\n").trim();
    return text || null;
  }
  return null;
}

export function exampleView(d: Disagreement): ExampleView {
  const details = (d.details ?? {}) as {
    categoricalJudge?: { verdicts?: [CategoricalVerdict, CategoricalVerdict] };
    semanticJudge?: { verdicts?: [string, string] };
    format?: { violations?: unknown[] };
  };
  const judges: ExampleView["judges"] = [];
  const cat = details.categoricalJudge?.verdicts;
  if (cat) {
    const [first, second] = categoricalPreferences(cat[0], cat[1]);
    judges.push({ kind: "Labels", referenceFirst: preferenceWords[first], candidateFirst: preferenceWords[second] });
  }
  const sem = details.semanticJudge?.verdicts;
  if (sem) judges.push({ kind: "Meaning", referenceFirst: semanticWords[sem[0]] ?? sem[0], candidateFirst: semanticWords[sem[1]] ?? sem[1] });
  const worst = (["format", "categorical", "semantic"] as const)
    .filter((a) => d.scores[a] !== null)
    .sort((a, b) => (d.scores[a] ?? 1) - (d.scores[b] ?? 1))[0] ?? "semantic";
  return {
    axis: worst,
    scores: d.scores,
    input: requestInput(d.request),
    reference: d.reference ?? "(no text output)",
    candidate: d.candidate ?? "(no text output)",
    judges,
    violations: (details.format?.violations ?? []).map((v) => (typeof v === "string" ? v : jsonText(v, { maxChars: 500 }).text)),
  };
}
