import { decodeCapture, encodeCapture, valueText, type CaptureRecord } from "@proofgate/db";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "@proofgate/providers";

/** A capture line nests one level deeper than the JSON it carries (the line is an object). */
const LINE_DEPTH_LIMIT = MAX_JSON_DEPTH + 1;

export type QuarantineKind = "too_deep" | "refused" | "unencodable";

export type Admission = { ok: true; line: string } | { ok: false; line: string; kind: QuarantineKind; reason: string };

/**
 * What a reply nested past the limit is stored as: its JSON text inside a small object. Not as a bare
 * jsonb string: drizzle's jsonb column parses any string the driver hands back, so a string holding JSON
 * text would come back to every reader as the deep tree it replaced.
 */
export interface FlattenedReply {
  tooDeep: true;
  limit: number;
  text: string;
}

/**
 * Nothing nested past MAX_JSON_DEPTH is sent to the database: Postgres refuses a deep enough jsonb
 * ("stack depth limit exceeded") and the embedded PGlite spins on it for good. Requests are checked at
 * the door, so what is left is a provider's reply (kept as text, FlattenedReply, with the capture's error
 * saying why) and anything that bypassed the door (quarantined). One scan of the line per capture.
 */
export function admitRecord(record: CaptureRecord): Admission {
  const line = encodeCapture(record);
  return jsonDepthExceeds(line, LINE_DEPTH_LIMIT) ? tooDeep(record, line) : { ok: true, line };
}

/**
 * A line read back from the spool (written by this or an earlier version, before any limit): the same
 * rule. The record is decoded only when the line is too deep (JSON.parse does not recurse).
 */
export function admitLine(line: string): Admission {
  if (!jsonDepthExceeds(line, LINE_DEPTH_LIMIT)) return { ok: true, line };
  const record = decodeCapture(line);
  return record ? tooDeep(record, line) : quarantined(line);
}

function quarantined(line: string): Admission {
  return { ok: false, line, kind: "too_deep", reason: `the capture nests JSON deeper than ${MAX_JSON_DEPTH} levels, proofgate's limit` };
}

function tooDeep(record: CaptureRecord, line: string): Admission {
  const response = valueText(record.response);
  const deepResponse = jsonDepthExceeds(response, MAX_JSON_DEPTH);
  // Tool calls are read off the reply: past the limit they are dropped, the reply's text keeps them.
  const deepTools = record.toolCalls !== null && jsonDepthExceeds(valueText(record.toolCalls), MAX_JSON_DEPTH);
  if (!deepResponse && !deepTools) return quarantined(line);
  const note = `the provider's reply nests JSON deeper than ${MAX_JSON_DEPTH} levels; it is kept as text`;
  const flattened = encodeCapture({
    ...record,
    response: deepResponse ? ({ tooDeep: true, limit: MAX_JSON_DEPTH, text: response } satisfies FlattenedReply) : record.response,
    toolCalls: deepTools ? null : record.toolCalls,
    error: record.error ? `${record.error}; ${note}` : note,
  });
  return jsonDepthExceeds(flattened, LINE_DEPTH_LIMIT) ? quarantined(line) : { ok: true, line: flattened };
}
