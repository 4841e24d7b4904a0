import type { JsonObject } from "../../json.ts";
import { checkMessages, fail, kindOf, validateBody } from "../../validate-common.ts";
import type { Validated } from "../../wire.ts";

function checkFields(body: JsonObject): Validated | null {
  const problem = checkMessages(body);
  if (problem) return problem;
  const maxTokens = body["max_tokens"];
  if (maxTokens !== undefined && typeof maxTokens !== "number") {
    return fail(`Invalid type for 'max_tokens': expected a number, got ${kindOf(maxTokens)}.`, "max_tokens", "invalid_type");
  }
  return null;
}

export function validateMessages(raw: Buffer): Validated {
  return validateBody(raw, checkFields);
}
