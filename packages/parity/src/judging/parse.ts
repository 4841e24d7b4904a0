import { JUDGE_VERDICTS, type JudgeKind } from "./protocol.ts";

export type CategoricalVerdict = (typeof JUDGE_VERDICTS.categorical)[number];
export type SemanticVerdict = (typeof JUDGE_VERDICTS.semantic)[number];

/** How the verdict was read: the schema-conforming reply, JSON inside a fence or prose, or words only. */
export type ParseRoute = "json" | "embedded-json" | "prose";

export type ParsedVerdict<V extends string> =
  | { ok: true; verdict: V; reason: string; route: ParseRoute }
  | { ok: false; error: string };

const FENCE = /```(?:json|JSON)?\s*([\s\S]*?)```/;

function candidatesFromJson(text: string): { value: unknown; route: ParseRoute }[] {
  const found: { value: unknown; route: ParseRoute }[] = [];
  const trimmed = text.trim();
  try {
    found.push({ value: JSON.parse(trimmed), route: "json" });
  } catch {
    // not a bare JSON reply; look for JSON embedded in a fence or in prose below
  }
  const fenced = FENCE.exec(text);
  if (fenced?.[1] !== undefined) {
    try {
      found.push({ value: JSON.parse(fenced[1].trim()), route: "embedded-json" });
    } catch {
      // a fence that holds no JSON: keep looking
    }
  }
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start >= 0 && end > start) {
    try {
      found.push({ value: JSON.parse(text.slice(start, end + 1)), route: "embedded-json" });
    } catch {
      // braces that are not JSON
    }
  }
  return found;
}

function normaliseVerdict<V extends string>(raw: unknown, allowed: readonly V[], kind: JudgeKind): V | undefined {
  if (typeof raw !== "string") return undefined;
  const word = raw.trim().replace(/^["'`*]+|["'`*.!]+$/g, "").toLowerCase();
  const exact = allowed.find((v) => v.toLowerCase() === word);
  if (exact) return exact;
  return proseVerdict(word, allowed, kind);
}

/**
 * Reads a verdict from free text. Order matters: "both"/"neither" and "different"/"not the same" are looked
 * for before the bare letters or "same", which they contain or negate.
 */
function proseVerdict<V extends string>(text: string, allowed: readonly V[], kind: JudgeKind): V | undefined {
  const t = text.toLowerCase();
  const pick = (v: string) => allowed.find((a) => a.toLowerCase() === v.toLowerCase());
  const labelled = /verdict\W{0,5}(?:is\W{0,3})?["'*`]*\s*([a-z]+)/i.exec(text);
  if (labelled?.[1] !== undefined) {
    const direct = pick(labelled[1]);
    if (direct) return direct;
  }
  if (kind === "semantic") {
    // "differ in wording" is not a different verdict; "differ in substance" is.
    const different =
      /\bnot (?:the )?same\b|\bnot equivalent\b|\bcontradict|\bdiffer(?:s|ent)? in (?:substance|meaning|effect|facts|content|outcome)\b/.test(t) ||
      /\bdifferent\b(?! (?:wording|phrasing|formatting|style|order))/.test(t);
    if (different) return pick("different");
    if (/\b(same|equivalent|identical|match)/.test(t)) return pick("same");
    return undefined;
  }
  const preferred = /\b(?:answer|option)\s*([ab])\s+is\s+(?:better|correct|right|more accurate|preferable)|\bprefer(?:s|red)?\s+(?:answer|option)\s*([ab])\b/.exec(t);
  if (/\bneither\b|\bboth (?:are |answers are )?(?:wrong|incorrect)/.test(t)) return pick("neither");
  if (/\bboth\b/.test(t)) return pick("both");
  const a = /\b(?:answer|option)\s*a\b|^\s*a\s*$/.test(t);
  const b = /\b(?:answer|option)\s*b\b|^\s*b\s*$/.test(t);
  const letter = preferred?.[1] ?? preferred?.[2];
  if (letter) return pick(letter.toUpperCase());
  if (a && !b) return pick("A");
  if (b && !a) return pick("B");
  return undefined;
}

function parseVerdict<V extends string>(text: string, kind: JudgeKind, allowed: readonly V[]): ParsedVerdict<V> {
  for (const { value, route } of candidatesFromJson(text)) {
    if (value === null || typeof value !== "object") continue;
    const record = value as Record<string, unknown>;
    const verdict = normaliseVerdict(record.verdict ?? record.answer ?? record.label, allowed, kind);
    if (verdict) {
      const reason = typeof record.reason === "string" ? record.reason : "";
      return { ok: true, verdict, reason, route };
    }
  }
  const verdict = proseVerdict(text, allowed, kind);
  if (verdict) return { ok: true, verdict, reason: text.trim().slice(0, 500), route: "prose" };
  return { ok: false, error: `no ${kind} verdict (${allowed.join(", ")}) found in the judge reply` };
}

export function parseCategoricalVerdict(text: string): ParsedVerdict<CategoricalVerdict> {
  return parseVerdict(text, "categorical", JUDGE_VERDICTS.categorical);
}

export function parseSemanticVerdict(text: string): ParsedVerdict<SemanticVerdict> {
  return parseVerdict(text, "semantic", JUDGE_VERDICTS.semantic);
}
