import { extractJson } from "../format/extract-json.ts";

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * Two outputs that are the same text (up to surrounding whitespace) or the same JSON value (up to key order
 * and wrapping) need no semantic judge: they score 1. Applied alike to the band and to candidates, it only
 * saves judge calls and cannot favour either side.
 */
export function equivalentOutputs(a: string, b: string): boolean {
  if (a.trim() === b.trim()) return true;
  const x = extractJson(a);
  const y = extractJson(b);
  return x.found && y.found && canonicalJson(x.value) === canonicalJson(y.value);
}
