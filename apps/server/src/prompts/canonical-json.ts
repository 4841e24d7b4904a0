import { MAX_JSON_DEPTH } from "@proofgate/providers";

/** What stands for a value nested past the limit (requests that deep are refused at the door). */
const TOO_DEEP = '"‹nested too deep›"';

function canonical(value: unknown, depth: number): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (depth >= MAX_JSON_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, depth + 1)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v, depth + 1)}`).join(",")}}`;
}

/**
 * JSON with object keys sorted, so two schemas that differ only in key order fingerprint alike.
 * Hand-written rather than a dependency: it is a dozen lines on the request path and must skip
 * undefined members exactly like JSON.stringify does. Recursion stops at MAX_JSON_DEPTH levels, so no
 * input can exhaust the stack (a deeper part is written as a fixed placeholder).
 */
export function canonicalJson(value: unknown): string {
  return canonical(value, 0);
}
