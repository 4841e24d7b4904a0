/**
 * Turns one piece of prompt text into its static skeleton: the parts a template author wrote stay, the
 * parts that vary per request become one slot marker. Pure and regex-only so it costs microseconds per
 * request. Over-masking static text is harmless (it is masked the same way every time); under-masking a
 * variable span splits one template into many prompts, so the rules lean towards masking.
 */

export const SLOT = "‹…›";

/** Texts longer than this are cut before masking: the skeleton lives in the first and last few KB. */
const MAX_TEXT = 12_000;
const KEEP_HEAD = 8_000;
const KEEP_TAIL = 4_000;

/** A paragraph at least this long, with no structure of its own, is pasted input rather than instructions. */
const FREE_TEXT_WORDS = 40;

// Delimited spans: whatever sits between them was pasted in.
const FENCED = /```[\s\S]*?(?:```|$)|"""[\s\S]*?(?:"""|$)|'''[\s\S]*?(?:'''|$)/g;
const OPENING_TAG = /<([A-Za-z][\w.-]{0,40})(?:\s[^<>]{0,200})?>/g;
// No opening bracket inside: each attempt stops at the next one, so "[[[[…" stays linear.
const BRACKETED = /\[\[[^[\]]{0,4000}\]\]|\{\{[^{}]{0,200}\}\}/g;
const QUOTED = /"[^"\n]{1,2000}"|“[^”\n]{1,2000}”|«[^»\n]{1,2000}»|„[^“\n]{1,2000}“|(?<![\w'])'[^'\n]{1,500}'(?![\w'])|`[^`\n]{1,500}`/g;

// Inline tokens, most specific first so a url is not eaten piecewise by the number rule. Each comes with
// what every match contains: a line without it skips the pattern (most lines have no url, e-mail or digit).
const DIGIT = /\d/;
const INLINE: Array<[RegExp, string | RegExp]> = [
  [/\b(?:https?|ftp|wss?):\/\/[^\s<>"'`)\]]+/gi, "://"],
  [/\bwww\.[^\s<>"'`)\]]+/gi, "."],
  [/(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/g, "@"],
  [/(?<![\w])@[A-Za-z0-9_]{2,}/g, "@"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "-"],
  [/\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, DIGIT],
  [/\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, DIGIT],
  [/\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/g, DIGIT],
  [/\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}\b/gi, DIGIT],
  [/\b\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,? \d{4}\b/gi, DIGIT],
  [/\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b/gi, DIGIT],
  [/\b\d{1,2}:\d{2}(?::\d{2})?\s?(?:[ap]\.?m\.?)?/gi, DIGIT],
  // Identifiers: a word mixing letters and digits (ORD-88213, AB12CD, v2.3.1, SKU_991).
  // Starts only at the beginning of a token, and looks ahead a bounded way, so "a1-a1-a1-…" stays linear.
  [/(?<![\w./-])#?(?=[\w./-]{0,48}\d)(?=[\w./-]{0,48}[A-Za-z])[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+){0,8}/g, DIGIT],
  [/(?<![\w])#\d+/g, DIGIT],
  // Money and numbers with their units: $1,299.99, 15%, 3.5k, +44 20 7946 0958.
  [/[$€£¥]\s?\d[\d,.]*(?:\s?[kKmMbB]n?\b)?|\+?\d[\d,.]*(?:\s?(?:%|[kKmMbB]\b|usd|eur|gbp))?/gi, DIGIT],
];
const QUOTE_MARK = /["“«„'`]/;
const CAPITAL = /[A-Z]/;

// Capitalised runs inside a sentence are names (people, companies, products), not instructions.
const PROPER_NOUNS = /(?<=[a-z,;]\s)[A-Z][\w'&-]*(?:(?:\s(?:of|de|von|van|the|and|&))*\s[A-Z][\w'&-]*)*/g;

/** A form field inside pasted input ("From:", "Subject:", "Order id:"): short, no sentence punctuation. */
const FIELD_LINE = /^(\s*(?:[-*•]\s+)?(?:[A-Z][\w-]*(?: [A-Za-z][\w-]*){0,2}|[a-z][\w-]*)):[ \t]+\S/;
const LABEL_LINE = /^(\s*(?:[-*•]\s+)?[A-Za-z][\w '()/&.-]{0,40}?):[ \t]+(\S.*)$/;
const INTRODUCER = /:\s*$/;
const SCAFFOLD_LINE = /^\s*(?:#{1,6}\s|[-=_*]{3,}\s*$|<\/?[A-Za-z][\w.-]*>\s*$)/;

/**
 * The fingerprint's key: a run of two or more "Label: ‹…›" lines counts as one field block, because
 * templates include optional fields (a "Plan:" line only when the customer has one) and reorder them.
 * A lone "Translate to French: ‹…›" stays as it is: there the words before the colon are the template.
 */
export function fingerprintKey(skeleton: string): string {
  return skeleton.replace(/^[^\n:]{1,45}: ‹…›\n(?:[^\n:]{1,45}: ‹…›(?:\n|$))+/gm, (run) => (run.endsWith("\n") ? "‹fields›\n" : "‹fields›"));
}

/** Collapses slot markers that only whitespace or punctuation separates: "‹…›, ‹…› (‹…›)" is one slot. */
function collapse(text: string): string {
  return text
    .replace(/‹…›(?:[\s,;.:()\-/+&|'"]*‹…›)+/g, SLOT)
    .replace(/[ \t]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/‹…›(?:\n+‹…›)+/g, SLOT)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * The gates test the line as it came in: masking only replaces spans with ‹…›, so a character the line
 * lacks stays absent, and the skipped patterns could not have matched.
 */
function maskInline(line: string): string {
  let out = QUOTE_MARK.test(line) ? line.replace(QUOTED, SLOT) : line;
  const digit = DIGIT.test(line);
  for (const [pattern, needs] of INLINE) {
    if (typeof needs === "string" ? line.includes(needs) : digit) out = out.replace(pattern, SLOT);
  }
  return CAPITAL.test(line) ? out.replace(PROPER_NOUNS, SLOT) : out;
}

function wordCount(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

export interface MaskOptions {
  /**
   * Instructions (system / developer) are mostly static: only delimited blocks and inline tokens are
   * masked there. A user turn also gets label values, introduced blocks and long free-text paragraphs.
   */
  kind: "instructions" | "user";
}

/** The static skeleton of one text, variable spans replaced by a single slot marker each. */
/**
 * <document>…</document> and the like become one slot. A scan with indexOf rather than a backreference
 * regex: an unclosed tag repeated thousands of times would make the regex quadratic on the request path.
 */
function maskXmlBlocks(text: string): string {
  let out = "";
  let at = 0;
  const unclosed = new Set<string>();
  OPENING_TAG.lastIndex = 0;
  for (let m = OPENING_TAG.exec(text); m; m = OPENING_TAG.exec(text)) {
    const tag = m[1] ?? "";
    if (m.index < at || unclosed.has(tag)) continue;
    const close = text.indexOf(`</${tag}>`, m.index + m[0].length);
    if (close < 0) {
      unclosed.add(tag);
      continue;
    }
    out += `${text.slice(at, m.index)}<${tag}>${SLOT}</${tag}>`;
    at = close + tag.length + 3;
    OPENING_TAG.lastIndex = at;
  }
  return out + text.slice(at);
}

/** A very long text keeps its head and tail only: the skeleton lives there, and the work stays bounded. */
export function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, KEEP_HEAD)}\n${SLOT}\n${text.slice(-KEEP_TAIL)}` : text;
}

export function maskText(input: string, { kind }: MaskOptions): string {
  if (kind === "user") {
    const json = jsonSkeleton(input);
    if (json !== null) return json;
  }
  let text = clip(input);
  text = text.replace(/\r\n?/g, "\n");
  text = maskXmlBlocks(text.replace(FENCED, SLOT)).replace(BRACKETED, SLOT);
  return collapse((kind === "user" ? maskUserLines : maskInstructionLines)(text.split("\n")).join("\n"));
}

/** Ends in ":" (and whitespace). The includes() gate is exact and spares most lines the anchored regex. */
function isIntroducer(line: string): boolean {
  return line.includes(":") && INTRODUCER.test(line);
}

function isLabel(line: string): RegExpExecArray | null {
  const label = line.includes(":") ? LABEL_LINE.exec(line) : null;
  return label && wordCount(label[1] ?? "") <= 5 ? label : null;
}

/** Where the block introduced at `start` ends: the next label or scaffold line, or the end. */
function blockEnd(lines: readonly string[], start: number): number {
  let i = start;
  while (i < lines.length && !SCAFFOLD_LINE.test(lines[i] ?? "") && !isLabel(lines[i] ?? "")) i++;
  return i;
}

/**
 * Instructions keep their wording (labels and values alike: "Tone: friendly" is policy there), except
 * a long block introduced by a line ending in ":", which is pasted material (retrieved documents, a
 * profile) rather than instructions. A short one ("Rules:" and a few bullets) stays.
 */
function maskInstructionLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    out.push(maskInline(line));
    if (!isIntroducer(line) || isLabel(line)) continue;
    const end = blockEnd(lines, i + 1);
    if (wordCount(lines.slice(i + 1, end).join(" ")) >= FREE_TEXT_WORDS) {
      out.push(SLOT);
      i = end - 1;
    }
  }
  return out;
}

function maskUserLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let introduced = false;
  for (const line of lines) {
    if (line.trim() === "") {
      out.push("");
      continue;
    }
    if (SCAFFOLD_LINE.test(line)) {
      introduced = false;
      out.push(line.trim());
      continue;
    }
    const label = introduced ? null : isLabel(line);
    if (label) {
      // "Subject: …" keeps its label; the value is input.
      out.push(`${(label[1] ?? "").trim()}: ${SLOT}`);
      continue;
    }
    if (introduced) {
      // Inside pasted input (an email after "Email:"), header fields keep their names; prose is input,
      // even prose with a colon ("One more small thing: …").
      const field = FIELD_LINE.exec(line);
      out.push(field ? `${(field[1] ?? "").trim()}: ${SLOT}` : SLOT);
      continue;
    }
    if (isIntroducer(line)) {
      // "Summarise the following review:" — what follows, up to the next label or scaffold line, is input.
      introduced = true;
      out.push(maskInline(line.trim()));
      continue;
    }
    const colon = line.indexOf(": ");
    if (colon > 0 && !/https?$/i.test(line.slice(0, colon))) {
      // "Classify this review: great product!" — instruction before the colon, input after it.
      out.push(`${maskInline(line.slice(0, colon + 1))} ${SLOT}`);
      continue;
    }
    out.push(wordCount(line) >= FREE_TEXT_WORDS ? SLOT : maskInline(line));
  }
  return out;
}

/**
 * A user turn that is a JSON document is data through and through (a record to classify, an order to
 * check): its skeleton is only whether it is an object or an array; keys vary with optional fields.
 */
function jsonSkeleton(text: string): string | null {
  const t = text.trim();
  const object = t.startsWith("{") && t.endsWith("}");
  if (!object && !(t.startsWith("[") && t.endsWith("]"))) return null;
  // Parsing costs time on the request path: past MAX_TEXT, the brackets are taken at their word.
  if (t.length > MAX_TEXT) return object ? "‹json object›" : "‹json array›";
  try {
    return Array.isArray(JSON.parse(t)) ? "‹json array›" : "‹json object›";
  } catch {
    return null;
  }
}

/**
 * A user turn without any template structure (no labels, no introduced blocks, no delimiters) is the
 * user's own words (a chat message, a question, a text to translate) when instructions exist elsewhere;
 * the template is then the instructions.
 */
export function isBareInput(input: string): boolean {
  const text = clip(input);
  if (/```|"""|'''|<[A-Za-z][\w.-]*[\s>]|\{\{|\[\[/.test(text)) return false;
  for (const line of text.split("\n")) {
    if (SCAFFOLD_LINE.test(line) || isLabel(line) || (isIntroducer(line) && line.trim().length > 1)) return false;
  }
  return true;
}
