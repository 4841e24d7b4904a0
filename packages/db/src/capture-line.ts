import type { CaptureRecord } from "./capture-record.ts";

/**
 * A JSON value kept as the text it arrived in: a request body or a provider's reply that proofgate has
 * already parsed once. A capture line copies it verbatim instead of serialising the parsed objects again.
 * Only text that JSON.parse accepted may be wrapped.
 */
export class JsonText {
  readonly text: string;

  constructor(text: string) {
    // Valid JSON holds raw line breaks only as whitespace between tokens (strings cannot contain them),
    // so they become spaces and a capture line stays one line in the spool.
    this.text = text.includes("\n") || text.includes("\r") ? text.replace(/[\r\n]/g, " ") : text;
  }

  /** Anything else that serialises a record gets the value itself. */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/**
 * JSON of one field's value; a missing value is written as null, never as a broken line. Numbers,
 * booleans, null and dates are written directly: calling JSON.stringify for each was most of the cost.
 * Never throws: a value nested too deep for JSON.stringify (which recurses) is written by jsonOf.
 */
function q(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "null";
    default:
      if (value === null) return "null";
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? "null" : `"${value.toISOString()}"`;
      try {
        return JSON.stringify(value) ?? "null";
      } catch {
        return jsonOf(value);
      }
  }
}

/** The JSON text of a field's value, as a capture line holds it (a JsonText's own text). */
export function valueText(value: unknown): string {
  return value instanceof JsonText ? value.text : q(value);
}

function member(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

interface Frame {
  items: unknown[];
  /** Object keys in member order; null for an array. */
  keys: string[] | null;
  at: number;
  container: object;
}

/**
 * JSON.stringify with an explicit stack instead of recursion, for data JSON.parse made (plus dates and
 * JsonText), so no depth exhausts the call stack. A reference back to a container being written (not
 * JSON data) is written as null rather than looping. Only used where JSON.stringify gave up: it is
 * several times slower. Hand-written: the libraries that stringify without recursion are streaming
 * serialisers with far more surface than these thirty lines.
 *
 * Not jsonText (json-text.ts), whose output is not the same here: jsonText would parse a JsonText back
 * (toJSON) and write it compactly rather than copy its text, and it throws on a cycle or a BigInt where a
 * capture line must still be written (null, digits).
 */
export function jsonOf(root: unknown): string {
  const parts: string[] = [];
  const stack: Frame[] = [];
  const open = new Set<object>();
  let next: unknown = root;
  let pending = true;
  for (;;) {
    if (pending) {
      pending = false;
      if (next === null || typeof next !== "object" || next instanceof Date || next instanceof JsonText) {
        parts.push(typeof next === "bigint" ? String(next) : valueText(next));
      } else if (open.has(next)) parts.push("null");
      else {
        const container = next;
        open.add(container);
        if (Array.isArray(container)) {
          parts.push("[");
          stack.push({ items: container, keys: null, at: 0, container });
        } else {
          const record = container as Record<string, unknown>;
          const keys = Object.keys(record).filter((k) => member(record[k]));
          parts.push("{");
          stack.push({ items: keys.map((k) => record[k]), keys, at: 0, container });
        }
      }
    }
    const top = stack.at(-1);
    if (!top) return parts.join("");
    if (top.at === top.items.length) {
      parts.push(top.keys ? "}" : "]");
      open.delete(top.container);
      stack.pop();
      continue;
    }
    if (top.at > 0) parts.push(",");
    if (top.keys) parts.push(`${JSON.stringify(top.keys[top.at])}:`);
    next = top.items[top.at++];
    if (!member(next)) next = null;
    pending = true;
  }
}

/**
 * One capture as a line of JSON: the unit the capture writer holds in memory, appends to its spool and
 * sends to Postgres (jsonb_to_recordset reads it by the CaptureRecord's own keys). Encoded once, when
 * the capture is handed over, so the parsed request and response can be collected young instead of
 * waiting in memory for their batch. Written out field by field: twice as fast as JSON.stringify of
 * the record on this path, which runs for every request.
 */
export function encodeCapture(r: CaptureRecord): string {
  return (
    `{"id":${q(r.id)},"createdAt":${q(r.createdAt)},"promptId":${q(r.promptId)},"promptName":${q(r.promptName)},` +
    `"fingerprint":${q(r.fingerprint)},"template":${q(r.template)},"endpoint":${q(r.endpoint)},"provider":${q(r.provider)},` +
    `"stream":${q(r.stream)},"requestedModel":${q(r.requestedModel)},"servedModel":${q(r.servedModel)},"route":${q(r.route)},` +
    `"status":${q(r.status)},"outputText":${q(r.outputText)},"toolCalls":${valueText(r.toolCalls)},"error":${q(r.error)},` +
    `"inputTokens":${q(r.inputTokens)},"outputTokens":${q(r.outputTokens)},"costUsd":${q(r.costUsd)},"latencyMs":${q(r.latencyMs)},` +
    `"ttfbMs":${q(r.ttfbMs)},"clientKeyId":${q(r.clientKeyId)},"upstreamRequestId":${q(r.upstreamRequestId)},` +
    `"request":${valueText(r.request)},"response":${valueText(r.response)}}`
  );
}

/** Whether a line is in today's layout (encodeCapture's field order), so it can be kept as it is. */
export function isCurrentCaptureLine(line: string): boolean {
  return /^\{"id":"[^"\\]*","createdAt":"[^"\\]*","promptId":/.test(line);
}

/** A capture line read back as a record (dates revived); null when the line is torn or not a capture. */
export function decodeCapture(line: string): CaptureRecord | null {
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

/**
 * The time and prompt of a line made by encodeCapture, read off its start without parsing the line: both
 * come before any free text, and an ISO time compares correctly as a string.
 */
export function captureLineKey(line: string): { createdAt: string; promptId: string } {
  const at = line.indexOf('"createdAt":"') + 13;
  const createdAt = at > 12 ? line.slice(at, line.indexOf('"', at)) : "";
  const id = line.indexOf('"promptId":"') + 12;
  const promptId = id > 11 ? line.slice(id, line.indexOf('"', id)) : "";
  return { createdAt, promptId };
}

/** The capture id at the start of a line made by encodeCapture, for logs about dropped lines. */
export function captureLineId(line: string): string {
  const start = line.indexOf('"id":"') + 6;
  return start > 5 ? line.slice(start, line.indexOf('"', start)) : "?";
}
