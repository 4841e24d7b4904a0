import { jsonDepthExceeds, MAX_JSON_DEPTH } from "./json-depth.ts";
import type { JsonObject } from "./json.ts";
import type { Validated } from "./wire.ts";

export function fail(message: string, param: string | null, code = "invalid_value"): Validated {
  return { ok: false, message, param, code };
}

export function kindOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

/** A wire's own checks on a body that passed the shared ones: null when it is fine. */
export type FieldCheck = (body: JsonObject) => Validated | null;

/**
 * Cheap checks on the few fields proofgate relies on (model, the conversation, stream). Everything else is
 * the provider's to judge: the body bytes go upstream unchanged and the provider answers in its own words.
 * Hand-written rather than a schema library because it runs on every request and looks at four fields.
 * The shared part is here; `check` is the wire's (its conversation fields).
 */
export function validateBody(raw: Buffer, check: FieldCheck): Validated {
  if (raw.length === 0) return fail("The request body is empty; expected a JSON object.", null, "invalid_json");
  const text = raw.toString("utf8");
  let body: unknown;
  try {
    // JSON.parse itself is iterative: any depth parses without exhausting the stack.
    body = JSON.parse(text);
  } catch (error) {
    return fail(`The request body is not valid JSON: ${(error as Error).message}`, null, "invalid_json");
  }
  // The one place client JSON is checked for depth: everything after (fingerprints, the capture line,
  // jsonb in Postgres) may then recurse on it.
  if (jsonDepthExceeds(text)) {
    return fail(`The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels, proofgate's limit.`, null, "json_too_deep");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return fail(`The request body must be a JSON object, not ${kindOf(body)}.`, null, "invalid_json");
  }
  const object = body as JsonObject;
  const model = object["model"];
  if (model === undefined) return fail("Missing required parameter: 'model'.", "model", "missing_required_parameter");
  if (typeof model !== "string" || model.length === 0) {
    return fail(`Invalid type for 'model': expected a non-empty string, got ${kindOf(model)}.`, "model", "invalid_type");
  }
  const stream = object["stream"];
  if (stream !== undefined && stream !== null && typeof stream !== "boolean") {
    return fail(`Invalid type for 'stream': expected a boolean, got ${kindOf(stream)}.`, "stream", "invalid_type");
  }
  const problem = check(object);
  if (problem) return problem;
  return { ok: true, body: object, model, stream: stream === true };
}

/** A conversation as a non-empty list of message objects (chat completions and messages alike). */
export function checkMessages(body: JsonObject): Validated | null {
  const messages = body["messages"];
  if (messages === undefined) {
    return fail("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  }
  if (!Array.isArray(messages)) {
    return fail(`Invalid type for 'messages': expected an array, got ${kindOf(messages)}.`, "messages", "invalid_type");
  }
  if (messages.length === 0) return fail("'messages' must contain at least one message.", "messages");
  const index = messages.findIndex((m) => typeof m !== "object" || m === null || Array.isArray(m));
  if (index >= 0) {
    return fail(`Invalid type for 'messages[${index}]': expected an object.`, `messages[${index}]`, "invalid_type");
  }
  return null;
}

/** An `input` that is a string or an array (responses: optional; embeddings: required). */
export function checkInput(body: JsonObject, required: boolean): Validated | null {
  const input = body["input"];
  if (input === undefined && required) return fail("Missing required parameter: 'input'.", "input", "missing_required_parameter");
  if (input !== undefined && typeof input !== "string" && !Array.isArray(input)) {
    return fail(`Invalid type for 'input': expected a string or an array, got ${kindOf(input)}.`, "input", "invalid_type");
  }
  return null;
}
