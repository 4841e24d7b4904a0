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
      return JSON.stringify(value) ?? "null";
  }
}

function valueText(value: unknown): string {
  return value instanceof JsonText ? value.text : q(value);
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
