import { decodeCapture, encodeCapture, type CaptureRecord } from "@proofgate/db";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(value: unknown, depth: number): unknown {
  if (typeof value === "string") return value.replaceAll("\u0000", "\uFFFD").replace(LONE_SURROGATE, "\uFFFD");
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[clean(k, depth + 1) as string] = clean(v, depth + 1);
  return out;
}

/**
 * Postgres refuses NUL characters and lone surrogates in text and jsonb. Rather than lose a capture over
 * them, the writer retries a refused line with those characters replaced by U+FFFD; null when the line
 * cannot even be read.
 */
export function sanitizeLine(line: string): string | null {
  const record = decodeCapture(line);
  if (!record) return null;
  return encodeCapture({ ...(clean({ ...record, createdAt: null }, 0) as CaptureRecord), createdAt: record.createdAt });
}
