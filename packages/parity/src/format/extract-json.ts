/** How a JSON payload sat in the output text ("trailing": bare JSON followed by a remark). */
export type JsonWrapper = "bare" | "fenced" | "preamble" | "trailing";

export type JsonExtraction =
  | { found: true; value: unknown; wrapper: JsonWrapper }
  /** truncated: the text starts a JSON object or array that never closes (cut off by max tokens). */
  | { found: false; truncated: boolean };

const FENCE = /^([\s\S]{0,400}?)```(?:json|JSON|jsonc)?[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/;
/** A preamble is a short lead-in sentence ("Here is the JSON:"), not an essay that happens to end in braces. */
const MAX_PREAMBLE = 200;

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const isStructured = (value: unknown) => value !== null && typeof value === "object";

/**
 * Finds the JSON payload of one model output. Only objects and arrays count: a bare number or string is a
 * text answer, and the text contract handles it.
 */
export function extractJson(output: string): JsonExtraction {
  const text = output.trim();
  const first = text[0];
  if (first === "{" || first === "[") {
    const parsed = tryParse(text);
    if (parsed.ok && isStructured(parsed.value)) return { found: true, value: parsed.value, wrapper: "bare" };
    const head = balancedPrefix(text);
    if (head !== undefined) {
      const prefix = tryParse(head);
      if (prefix.ok && isStructured(prefix.value)) return { found: true, value: prefix.value, wrapper: "trailing" };
    }
    return { found: false, truncated: looksTruncated(text) };
  }
  const fence = FENCE.exec(text);
  if (fence?.[2] !== undefined) {
    const inner = fence[2].trim();
    const parsed = tryParse(inner);
    if (parsed.ok && isStructured(parsed.value)) return { found: true, value: parsed.value, wrapper: "fenced" };
    return { found: false, truncated: looksTruncated(inner) };
  }
  const start = firstBracket(text);
  if (start > 0 && start <= MAX_PREAMBLE) {
    const body = text.slice(start);
    const parsed = tryParse(balancedPrefix(body) ?? body);
    if (parsed.ok && isStructured(parsed.value)) return { found: true, value: parsed.value, wrapper: "preamble" };
    const openFence = /```(?:json|JSON)?[ \t]*\r?\n([\s\S]*)$/.exec(text);
    return { found: false, truncated: looksTruncated(openFence?.[1] ?? body) };
  }
  return { found: false, truncated: false };
}

function firstBracket(text: string): number {
  const brace = text.indexOf("{");
  const bracket = text.indexOf("[");
  if (brace < 0) return bracket;
  if (bracket < 0) return brace;
  return Math.min(brace, bracket);
}

/** The text up to the bracket that closes the first one, if it closes; strings are skipped. */
function balancedPrefix(text: string): string | undefined {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return text.slice(0, i + 1);
    }
  }
  return undefined;
}

/** Unbalanced brackets or an open string at the end: the shape a max-tokens cut leaves. */
function looksTruncated(text: string): boolean {
  const body = text.trim();
  if (body[0] !== "{" && body[0] !== "[") return false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const ch of body) {
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") depth--;
  }
  return inString || depth > 0;
}
