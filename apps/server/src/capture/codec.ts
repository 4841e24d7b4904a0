import type { CaptureRecord } from "@proofgate/db";

/** One spool line per capture. Dates travel as ISO strings and come back as Dates. */
export function encodeRecord(record: CaptureRecord): string {
  return `${JSON.stringify(record)}\n`;
}

export function decodeRecord(line: string): CaptureRecord | null {
  try {
    const value = JSON.parse(line) as CaptureRecord & { createdAt: string };
    if (typeof value?.id !== "string" || typeof value.createdAt !== "string") return null;
    const createdAt = new Date(value.createdAt);
    if (Number.isNaN(createdAt.getTime())) return null;
    return { ...value, createdAt };
  } catch {
    return null;
  }
}

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
 * them, the writer retries a refused row with those characters replaced by U+FFFD.
 */
export function sanitizeRecord(record: CaptureRecord): CaptureRecord {
  return { ...(clean({ ...record, createdAt: null }, 0) as CaptureRecord), createdAt: record.createdAt };
}
