/** Shared vocabulary for generated inputs. Values here never contain digits, dollar signs or month names. */
export const FIRST_NAMES = [
  "Amelia", "Bruno", "Chiara", "Dmitri", "Esther", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemi", "Lars",
  "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tova", "Umar", "Vera", "Wen", "Yusuf",
] as const;
export const LAST_NAMES = [
  "Alvarez", "Becker", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen",
  "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Rossi", "Silva", "Tanaka", "Weber",
] as const;
export const MONTHS = [
  "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December",
] as const;
export const COMPANIES = [
  "Northwind Traders", "Bluefin Analytics", "Copperleaf Health", "Driftwood Studios", "Evergreen Logistics",
  "Foxglove Retail", "Granite Peak Energy", "Harbourline Foods", "Ironbark Security", "Juniper Learning",
] as const;
export const PROJECTS = [
  "Atlas", "Beacon", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Helix", "Iris", "Juno", "Keystone",
  "Lumen", "Meridian", "Nimbus", "Orion", "Pioneer",
] as const;

export function fullName(first: string, last: string): string {
  return `${first} ${last}`;
}

/** "14 March" <-> {day, month}; also reads "March 14" and "14th of March" as real text varies. */
export function readDate(text: string): string | null {
  const m = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?(?: of)? (${MONTHS.join("|")})\\b`).exec(text) ??
    null;
  if (m) return `${m[1]} ${m[2]}`;
  const r = new RegExp(`\\b(${MONTHS.join("|")}) (\\d{1,2})(?:st|nd|rd|th)?\\b`).exec(text);
  return r ? `${r[2]} ${r[1]}` : null;
}

export function shiftDate(date: string, days: number): string {
  const [d, m] = date.split(" ");
  const month = MONTHS.indexOf(m as (typeof MONTHS)[number]);
  const day = ((Number(d) - 1 + days + 28 * 4) % 28) + 1;
  return `${day} ${MONTHS[month] ?? "March"}`;
}

export function sayDate(date: string, variant: number): string {
  const [d, m] = date.split(" ");
  const n = Number(d);
  const suffix = n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th";
  if (variant % 3 === 1) return `${m} ${n}`;
  if (variant % 3 === 2) return `the ${n}${suffix} of ${m}`;
  return `${n} ${m}`;
}

/** Whole-word search, case-insensitive; returns the index of the first hit or -1. */
export function findWord(text: string, word: string): number {
  const m = new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i").exec(text);
  return m ? m.index : -1;
}

export function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

/** Removes one surrounding Markdown code fence, as a lenient reader (or the judge) would. */
export function stripFence(text: string): string {
  const m = /```(?:json)?\s*\n([\s\S]*?)\n?```/.exec(text);
  return m ? (m[1] as string) : text;
}

/** Lenient JSON reader for decoding meaning: tolerates fences, prose around the object and trailing commas. */
export function looseJson(text: string): unknown {
  const body = stripFence(text);
  const start = body.indexOf("{");
  const end = body.lastIndexOf("}");
  if (start < 0 || end <= start) return null;
  const repaired = body
    .slice(start, end + 1)
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/,\s*([}\]])/g, "$1")
    .replace(/("|\d|true|false|null|\]|\})(\s*\n\s*")/g, "$1,$2")
    .replace(/:\s*True\b/g, ": true")
    .replace(/:\s*False\b/g, ": false")
    .replace(/:\s*None\b/g, ": null");
  try {
    return unwrapToolCall(JSON.parse(repaired));
  } catch {
    return null;
  }
}

/**
 * A tool call shown as text (OpenAI `{function: {arguments}}`, Responses `{arguments}`, Anthropic `{input}`)
 * means what its arguments mean.
 */
function unwrapToolCall(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  const v = value as { function?: { arguments?: unknown }; arguments?: unknown; input?: unknown; type?: unknown };
  const args = v.function?.arguments ?? (typeof v.arguments === "string" ? v.arguments : undefined);
  if (typeof args === "string") {
    try {
      return JSON.parse(args);
    } catch {
      return value;
    }
  }
  if (v.type === "tool_use" && v.input && typeof v.input === "object") return v.input;
  return value;
}

/** JSON text the way models vary it: key order, indentation, spacing; optional fence. */
export function formatJson(value: unknown, indentVariant: number, fence: boolean): string {
  const indent = [0, 2, 2, 4][indentVariant % 4] as number;
  let text = JSON.stringify(value, null, indent);
  if (indent === 0 && indentVariant % 2 === 1) text = text.replace(/":/g, '": ').replace(/,"/g, ', "');
  return fence ? "```json\n" + text + "\n```" : text;
}

/** Rebuilds an object with its keys in a random order (recursively for plain objects). */
export function shuffleKeys(value: unknown, order: (keys: string[]) => string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, order));
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(order(Object.keys(obj)).map((k) => [k, shuffleKeys(obj[k], order)]));
  }
  return value;
}
